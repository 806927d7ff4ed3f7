package io.isoline.dag;

/**
 * How a TLS virtual host talks TLS to clients: the protocol versions it accepts and, when set, how
 * it asks for and checks client certificates (HTTPProxy's {@code clientValidation}).
 *
 * @param clientValidation null: no client certificate is asked for
 * @param fallback         the operator's fallback certificate, when the host is also served to TLS
 *                         clients that send no SNI name (or one no host has); null: it is not
 */
public record DownstreamTls(TlsVersion minimum, TlsVersion maximum, ClientValidation clientValidation, TlsSecret fallback) {

    /** From {@code minimum} up to TLS 1.3, no client certificates. */
    public static DownstreamTls atLeast(TlsVersion minimum) {
        return new DownstreamTls(minimum, TlsVersion.TLS_1_3, null, null);
    }

    /**
     * Client certificates, as Contour configures Envoy for them.
     *
     * @param caCertificate     PEM CA bundle a client certificate must chain to; null only with {@code skipVerification}
     * @param skipVerification  ask for a certificate but accept any (an external authorizer checks it)
     * @param optional          a client without a certificate is let through (one it sends is still checked)
     * @param crl               PEM certificate revocation lists; null for none
     * @param onlyVerifyLeafCrl check revocation of the client's own certificate only
     * @param forward           which details go to the backend in {@code x-forwarded-client-cert}; null: none
     */
    public record ClientValidation(String caCertificate, boolean skipVerification, boolean optional, String crl,
            boolean onlyVerifyLeafCrl, ForwardDetails forward) {
    }

    /** The parts of a client certificate forwarded in {@code x-forwarded-client-cert}. */
    public record ForwardDetails(boolean subject, boolean cert, boolean chain, boolean dns, boolean uri) {
    }
}
