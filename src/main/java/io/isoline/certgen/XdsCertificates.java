package io.isoline.certgen;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the xDS mutual-TLS set: a CA (ECDSA P-256, self-signed), the controller's server
 * certificate naming its Service as Envoy dials it ({@code svc}, {@code svc.ns},
 * {@code svc.ns.svc}, {@code svc.ns.svc.cluster.local}), and Envoy's client certificate
 * ({@code CN=envoy}). Each side gets the CA as {@code ca.crt} to verify the other. Keys are PKCS#8
 * PEM and never leave the returned values.
 */
public final class XdsCertificates {

    /** One side's files: {@code tls.crt}, {@code tls.key}, {@code ca.crt} (PEM). */
    public record Side(String certificate, String privateKey, String ca, Instant notAfter) {
        @Override
        public String toString() {
            return "Side[notAfter=" + notAfter + ", key redacted]";
        }
    }

    /** The controller's and Envoy's side, issued by one CA. */
    public record Set(Side controller, Side envoy) {
    }

    /**
     * The CA: kept between runs (certgen stores it in its own Secret) so re-issued certificates
     * chain to the CA both sides already trust, and a rotation needs no restart.
     */
    public record Authority(String certificate, String privateKey, Instant notAfter) {
        @Override
        public String toString() {
            return "Authority[notAfter=" + notAfter + ", key redacted]";
        }

        X509Certificate x509() throws GeneralSecurityException {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                    new java.io.ByteArrayInputStream(certificate.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }

        KeyPair keys() throws GeneralSecurityException, IOException {
            try (var parser = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(privateKey))) {
                var key = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPrivateKey(
                        (org.bouncycastle.asn1.pkcs.PrivateKeyInfo) parser.readObject());
                return new KeyPair(x509().getPublicKey(), key);
            }
        }

        /** The CA in {@code certificate} and {@code privateKey} (PEM), if they are one readable pair. */
        public static java.util.Optional<Authority> parse(String certificate, String privateKey) {
            try {
                Authority a = new Authority(certificate, privateKey, Instant.EPOCH);
                X509Certificate cert = a.x509();
                KeyPair keys = a.keys();
                // The key must be the certificate's: sign and verify one thing.
                java.security.Signature sig = java.security.Signature.getInstance("SHA256withECDSA");
                sig.initSign(keys.getPrivate());
                sig.update(new byte[] {1});
                byte[] signed = sig.sign();
                sig.initVerify(cert.getPublicKey());
                sig.update(new byte[] {1});
                return sig.verify(signed) ? java.util.Optional.of(new Authority(certificate, privateKey, cert.getNotAfter().toInstant()))
                        : java.util.Optional.empty();
            } catch (GeneralSecurityException | IOException | RuntimeException unreadable) {
                return java.util.Optional.empty();
            }
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private XdsCertificates() {
    }

    /**
     * @param service   the controller's Service name (Envoy's {@code --xds-address} is one of its DNS names)
     * @param namespace the Service's namespace
     * @param now       the start of validity (a minute earlier, for clock skew)
     * @param validity  how long every certificate is valid
     */
    public static Set issue(String service, String namespace, Instant now, Duration validity) {
        return issue(authority(now, validity), service, namespace, now, validity);
    }

    /** A new CA valid from a minute before {@code now} for {@code validity}. */
    public static Authority authority(Instant now, Duration validity) {
        try {
            Instant from = now.minus(Duration.ofMinutes(1));
            Instant to = now.plus(validity);
            KeyPair caKeys = keys();
            X500Name caName = new X500Name("CN=isoline-xds-ca,O=Isoline");
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(from), Date.from(to), caName,
                    caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            StringWriter key = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(key)) {
                w.writeObject(new JcaPKCS8Generator(caKeys.getPrivate(), null));
            }
            return new Authority(pem(sign(ca, caKeys)), key.toString(), to);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue the CA: " + e.getMessage(), e);
        }
    }

    /** The two sides from {@code authority}, valid for {@code validity} but never past the CA. */
    public static Set issue(Authority authority, String service, String namespace, Instant now, Duration validity) {
        try {
            Instant from = now.minus(Duration.ofMinutes(1));
            Instant to = now.plus(validity).isAfter(authority.notAfter()) ? authority.notAfter() : now.plus(validity);
            X509Certificate caCert = authority.x509();
            KeyPair caKeys = authority.keys();
            String caPem = authority.certificate();
            List<String> dns = List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
                    service + "." + namespace + ".svc.cluster.local");
            Side controller = leaf("CN=" + dns.get(2), dns, KeyPurposeId.id_kp_serverAuth, caCert, caKeys, from, to, caPem);
            Side envoy = leaf("CN=envoy", List.of("envoy"), KeyPurposeId.id_kp_clientAuth, caCert, caKeys, from, to, caPem);
            return new Set(controller, envoy);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue certificates: " + e.getMessage(), e);
        }
    }

    private static Side leaf(String subject, List<String> dns, KeyPurposeId usage, X509Certificate caCert, KeyPair caKeys,
            Instant from, Instant to, String caPem) throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = keys();
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(from), Date.from(to),
                new X500Name(subject), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(dns.stream().map(d -> new GeneralName(GeneralName.dNSName, d)).toArray(GeneralName[]::new)))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate cert = sign(b, caKeys);
        StringWriter key = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(key)) {
            w.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
        }
        return new Side(pem(cert), key.toString(), caPem, to);
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(128, RANDOM);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer) throws OperatorCreationException,
            GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static String pem(X509Certificate cert) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(cert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
