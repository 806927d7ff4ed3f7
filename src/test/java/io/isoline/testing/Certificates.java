package io.isoline.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test certificates made with openssl at test time, so no key is committed for them. */
public final class Certificates {

    /** A certificate and its key, PEM files. */
    public record Pair(Path cert, Path key) {
    }

    private Certificates() {
    }

    /** A self-signed EC certificate for {@code cn} (also its first DNS name) and {@code more} names. */
    public static Pair selfSigned(Path dir, String name, String cn, String... more) throws Exception {
        StringBuilder san = new StringBuilder("subjectAltName=DNS:" + cn);
        for (String m : more) {
            san.append(",DNS:").append(m);
        }
        return make(dir, name, "/CN=" + cn, null, "-addext", san.toString());
    }

    /** A certificate authority (self-signed, may sign). */
    public static Pair authority(Path dir, String name, String cn) throws Exception {
        return make(dir, name, "/CN=" + cn, null, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature");
    }

    /**
     * A certificate signed by {@code ca} for {@code subject} (e.g. {@code /O=system:masters/CN=admin}),
     * valid for {@code usage} ({@code serverAuth} or {@code clientAuth}) and, when not empty, the
     * alternative names {@code san} ({@code DNS:localhost,IP:127.0.0.1}).
     */
    public static Pair signed(Path dir, String name, Pair ca, String subject, String usage, String san) throws Exception {
        List<String> ext = new ArrayList<>(List.of("-addext", "basicConstraints=critical,CA:FALSE",
                "-addext", "extendedKeyUsage=" + usage));
        if (!san.isEmpty()) {
            ext.addAll(List.of("-addext", "subjectAltName=" + san));
        }
        return make(dir, name, subject, ca, ext.toArray(String[]::new));
    }

    /** An EC key pair for signing (a PEM private key and its public key); no certificate. */
    public static Pair signingKey(Path dir, String name) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path pub = dir.resolve(name + ".pub");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        openssl("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
        return new Pair(pub, key);
    }

    /** A PEM certificate revocation list signed by {@code ca}, revoking {@code revoked} (certificate files). */
    public static Path crl(Path dir, String name, Pair ca, Path... revoked) throws Exception {
        var factory = java.security.cert.CertificateFactory.getInstance("X.509");
        java.security.cert.X509Certificate caCert;
        try (var in = java.nio.file.Files.newInputStream(ca.cert())) {
            caCert = (java.security.cert.X509Certificate) factory.generateCertificate(in);
        }
        java.security.PrivateKey key;
        try (var parser = new org.bouncycastle.openssl.PEMParser(java.nio.file.Files.newBufferedReader(ca.key()))) {
            Object o = parser.readObject();
            var converter = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter();
            key = o instanceof org.bouncycastle.openssl.PEMKeyPair kp ? converter.getKeyPair(kp).getPrivate()
                    : converter.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o);
        }
        java.util.Date now = new java.util.Date();
        var builder = new org.bouncycastle.cert.X509v2CRLBuilder(
                org.bouncycastle.asn1.x500.X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()), now);
        builder.setNextUpdate(new java.util.Date(now.getTime() + 86_400_000L));
        for (Path r : revoked) {
            try (var in = java.nio.file.Files.newInputStream(r)) {
                var cert = (java.security.cert.X509Certificate) factory.generateCertificate(in);
                builder.addCRLEntry(cert.getSerialNumber(), now, org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
            }
        }
        var holder = builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(key));
        Path out = dir.resolve(name + ".crl");
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(java.nio.file.Files.newBufferedWriter(out))) {
            w.writeObject(holder);
        }
        return out;
    }

    private static Pair make(Path dir, String name, String subject, Pair ca, String... extensions) throws Exception {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        List<String> cmd = new ArrayList<>(List.of("req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", subject));
        if (ca != null) {
            cmd.addAll(List.of("-CA", ca.cert().toString(), "-CAkey", ca.key().toString()));
        }
        cmd.addAll(List.of(extensions));
        cmd.addAll(List.of("-keyout", key.toString(), "-out", cert.toString()));
        openssl(cmd.toArray(String[]::new));
        return new Pair(cert, key);
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process openssl = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new AssertionError("openssl failed: " + out);
        }
    }
}
