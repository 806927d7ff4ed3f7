package io.isoline.dag;

import io.fabric8.kubernetes.api.model.Secret;
import io.isoline.state.ClusterState;
import io.isoline.state.ObjectKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides whether a Secret can serve as a TLS certificate: type {@code kubernetes.io/tls}, a
 * {@code tls.crt} holding at least one parseable PEM X.509 certificate, and a {@code tls.key}
 * holding a PEM private key. Messages name the Secret and what is wrong, never the key.
 *
 * <p>Not thread-safe: one instance per build (results are memoized).
 */
final class SecretValidator {

    static final String TLS_TYPE = "kubernetes.io/tls";

    /** A usable secret, or why not. */
    record Validation(TlsSecret secret, String error) {
    }

    private final ClusterState state;
    private final Map<ObjectKey, Validation> memo = new HashMap<>();

    SecretValidator(ClusterState state) {
        this.state = state;
    }

    Validation validate(ObjectKey key) {
        return memo.computeIfAbsent(key, this::doValidate);
    }

    private Validation doValidate(ObjectKey key) {
        Secret secret = state.secrets().get(key);
        if (secret == null) {
            return error("secret " + key + " not found");
        }
        if (!TLS_TYPE.equals(secret.getType())) {
            return error("secret " + key + " is of type " + secret.getType() + ", not " + TLS_TYPE);
        }
        String cert = decoded(secret, "tls.crt");
        String key2 = decoded(secret, "tls.key");
        if (cert == null || cert.isBlank()) {
            return error("secret " + key + " has no tls.crt");
        }
        if (key2 == null || key2.isBlank()) {
            return error("secret " + key + " has no tls.key");
        }
        if (!parsesAsCertificate(cert)) {
            return error("secret " + key + ": tls.crt is not a PEM-encoded X.509 certificate");
        }
        if (!key2.contains("-----BEGIN") || !key2.contains("PRIVATE KEY-----")) {
            return error("secret " + key + ": tls.key is not a PEM-encoded private key");
        }
        String name = key + "/" + ContentHash.short10(cert + "\n" + key2);
        return new Validation(new TlsSecret(name, cert, key2), null);
    }

    private static Validation error(String message) {
        return new Validation(null, message);
    }

    private static String decoded(Secret secret, String field) {
        String data = secret.getData() == null ? null : secret.getData().get(field);
        if (data != null) {
            try {
                return new String(Base64.getMimeDecoder().decode(data), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(field);
    }

    private static boolean parsesAsCertificate(String pem) {
        try {
            var certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return !certs.isEmpty();
        } catch (CertificateException | RuntimeException e) {
            return false;
        }
    }
}
