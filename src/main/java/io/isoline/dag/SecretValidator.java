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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a Secret can serve as a TLS certificate: type {@code kubernetes.io/tls}, a
 * {@code tls.crt} holding at least one parseable PEM X.509 certificate, and a {@code tls.key}
 * holding a PEM private key. Messages name the Secret and what is wrong, never the key.
 *
 * <p>Not thread-safe: one instance per build (results are memoized in the {@link DagCache}).
 */
final class SecretValidator {

    static final String TLS_TYPE = "kubernetes.io/tls";

    /** A usable secret, or why not. */
    record Validation(TlsSecret secret, String error) {
    }

    private final ClusterState state;
    private final Reads reads;
    /** Secret -> namespaces allowed to use it (or "*"), from every TLSCertificateDelegation of either group. */
    private final Map<ObjectKey, Set<String>> delegatedTo = new HashMap<>();

    /** A check's key in the {@link DagCache}. */
    private record Step(String what, ObjectKey secret) {
    }

    SecretValidator(ClusterState state, Reads reads) {
        this.state = state;
        this.reads = reads;
        state.tlsCertificateDelegations().forEach((key, d) -> delegate(key, d.getSpec()));
        state.tlsCertificateDelegationsV1().forEach((key, d) -> delegate(key, d.getSpec()));
    }

    private void delegate(ObjectKey key, io.isoline.k8s.TLSCertificateDelegation.Spec spec) {
        if (spec != null) {
            for (var delegation : EndpointIndex.nullSafe(spec.delegations)) {
                if (delegation.secretName != null) {
                    delegatedTo.computeIfAbsent(new ObjectKey(key.namespace(), delegation.secretName), k -> new HashSet<>())
                            .addAll(EndpointIndex.nullSafe(delegation.targetNamespaces));
                }
            }
        }
    }

    /**
     * Validates {@code secret} for use by an object in {@code userNamespace}: a Secret in another
     * namespace must be delegated to it (or to {@code *}) by a TLSCertificateDelegation in the
     * Secret's namespace.
     */
    Validation validateFor(ObjectKey secret, String userNamespace) {
        String missing = delegationMissing(secret, userNamespace);
        return missing != null ? error(missing) : validate(secret);
    }

    /** Why {@code userNamespace} may not use {@code secret} (a message starting {@link #DELEGATION_MISSING}), or null. */
    private String delegationMissing(ObjectKey secret, String userNamespace) {
        if (!secret.namespace().equals(userNamespace)) {
            Set<String> allowed = delegatedTo.getOrDefault(secret, Set.of());
            if (!allowed.contains(userNamespace) && !allowed.contains("*")) {
                return DELEGATION_MISSING + ": secret " + secret + " is not delegated to namespace "
                        + userNamespace + " by a TLSCertificateDelegation in " + secret.namespace();
            }
        }
        return null;
    }

    static final String DELEGATION_MISSING = "certificate delegation is missing";

    /**
     * The largest CA bundle or CRL accepted. They are sent inline in the listener or cluster that
     * uses them, which every Envoy receives whole: one tenant's megabytes would slow every update.
     */
    static final int MAX_PEM = 256 * 1024;

    Validation validate(ObjectKey key) {
        return reads.memo(new Step("certificate", key), () -> doValidate(key));
    }

    private Secret secret(ObjectKey key) {
        return reads.read(Reads.Source.SECRET, key, state.secrets().get(key));
    }

    private Validation doValidate(ObjectKey key) {
        Secret secret = secret(key);
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
        String pair = KeyPairCheck.problem(cert, key2);
        if (pair != null) {
            return error("secret " + key + ": " + pair);
        }
        // The name stays the same when the certificate is rotated: Envoy then takes the new one over
        // SDS for new handshakes and its filter chain is not replaced (which would drain it).
        String name = key.toString();
        return new Validation(new TlsSecret(name, cert, key2), null);
    }

    /** A CA bundle ({@code ca.crt}) or why there is none. */
    record CaBundle(String pem, String error) {
    }

    /** {@link #caBundle} for an object in {@code userNamespace}: another namespace's needs a delegation. */
    CaBundle caBundleFor(ObjectKey key, String userNamespace) {
        String missing = delegationMissing(key, userNamespace);
        return missing != null ? new CaBundle(null, missing) : caBundle(key);
    }

    /** {@code crl.pem} of {@code key} (certificate revocation lists), delegated as {@link #caBundleFor}. */
    CaBundle crlFor(ObjectKey key, String userNamespace) {
        String missing = delegationMissing(key, userNamespace);
        if (missing != null) {
            return new CaBundle(null, missing);
        }
        return reads.memo(new Step("crl", key), () -> crl(key));
    }

    private CaBundle crl(ObjectKey key) {
        Secret secret = secret(key);
        String pem = secret == null ? null : decoded(secret, "crl.pem");
        if (secret == null || pem == null || pem.isBlank()) {
            return new CaBundle(null, secret == null ? "Secret " + key + " not found" : "Secret " + key + " has no crl.pem");
        }
        if (pem.length() > MAX_PEM) {
            return new CaBundle(null, "Secret " + key + ": crl.pem is larger than " + MAX_PEM / 1024 + " KiB");
        }
        try {
            if (CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .isEmpty()) {
                return new CaBundle(null, "Secret " + key + ": crl.pem holds no CRL");
            }
        } catch (java.security.cert.CRLException | CertificateException | RuntimeException e) {
            return new CaBundle(null, "Secret " + key + ": crl.pem is not a PEM certificate revocation list");
        }
        return new CaBundle(pem, null);
    }

    /** {@code ca.crt} of {@code key}, for checking an upstream's certificate; never a private key. */
    CaBundle caBundle(ObjectKey key) {
        return reads.memo(new Step("ca", key), () -> ca(key));
    }

    private CaBundle ca(ObjectKey key) {
        Secret secret = secret(key);
        if (secret == null) {
            return new CaBundle(null, "Secret " + key + " not found");
        }
        String pem = decoded(secret, "ca.crt");
        if (pem == null || pem.isBlank()) {
            return new CaBundle(null, "Secret " + key + " has no ca.crt");
        }
        if (pem.length() > MAX_PEM) {
            return new CaBundle(null, "Secret " + key + ": ca.crt is larger than " + MAX_PEM / 1024 + " KiB");
        }
        if (!parsesAsCertificate(pem)) {
            return new CaBundle(null, "Secret " + key + ": ca.crt is not a PEM certificate");
        }
        return new CaBundle(pem, null);
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
