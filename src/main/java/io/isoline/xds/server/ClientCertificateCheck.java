package io.isoline.xds.server;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.isoline.config.IsolineConfig;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.Startup;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jboss.logging.Logger;

/**
 * Mutual TLS on the xDS port: with {@code isoline.xds.require-client-certificate=true}, a call whose
 * connection did not present a client certificate is refused ({@code UNAUTHENTICATED}) before any
 * configuration is sent. The certificate itself is verified during the TLS handshake against the
 * trust store ({@code quarkus.tls.trust-store.*}, reloaded with the key store); an untrusted one
 * fails the handshake. Quarkus fixes the server's client-auth mode at build time, so the build asks
 * every TLS client for a certificate ("request") and this check makes it required at run time.
 *
 * <p>Thread-safe: stateless after construction.
 */
@ApplicationScoped
@Startup
@GlobalInterceptor
public class ClientCertificateCheck implements ServerInterceptor {

    private static final Logger LOG = Logger.getLogger(ClientCertificateCheck.class);

    private final boolean required;

    /**
     * @throws IllegalStateException when a certificate is required but the xDS port has no TLS, or
     *                               no trust store to verify certificates with: Isoline does not start
     */
    public ClientCertificateCheck(IsolineConfig config, TlsConfigurationRegistry tls) {
        this.required = config.xds().requireClientCertificate();
        if (required) {
            TlsConfiguration c = tls.getDefault().orElse(null);
            if (c == null || c.getKeyStoreOptions() == null) {
                throw new IllegalStateException("isoline.xds.require-client-certificate=true needs TLS on the xDS port "
                        + "(quarkus.tls.key-store.*, see docs/configuration.md)");
            }
            if (c.getTrustStoreOptions() == null || c.isTrustAll()) {
                throw new IllegalStateException("isoline.xds.require-client-certificate=true needs a trust store to verify "
                        + "client certificates with (quarkus.tls.trust-store.*), and not trust-all");
            }
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (required && !hasClientCertificate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION))) {
            LOG.debugf("refused %s from %s: no client certificate", call.getMethodDescriptor().getFullMethodName(),
                    call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
            call.close(Status.UNAUTHENTICATED.withDescription("the xDS port requires a client certificate"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }

    private static boolean hasClientCertificate(SSLSession session) {
        if (session == null) {
            return false;
        }
        try {
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
