package io.isoline.dag;

/**
 * A validated TLS certificate and key, PEM encoded, under the name Envoy fetches it by over SDS
 * ({@code namespace/name/hash}: a new certificate gets a new name).
 *
 * <p>{@link #toString()} never prints the key.
 */
public record TlsSecret(String name, String certificateChain, String privateKey) {

    @Override
    public String toString() {
        return "TlsSecret[" + name + ", privateKey=[redacted]]";
    }
}
