package io.isoline.dag;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a Secret's private key is one Envoy can load and belongs to its certificate: Envoy fails
 * to load a pair that does not match (or a PEM body that is not a key), and that listener update is
 * rejected. PKCS#8, PKCS#1 (RSA) and SEC1 (EC) keys are checked by signing with the key and
 * verifying with the certificate; formats it cannot read (an encrypted key, another algorithm) are
 * left to Envoy rather than refused. Pure: JDK cryptography, no I/O; thread-safe.
 */
final class KeyPairCheck {

    /** Results by content hash: a pure function's memo, so a rebuild does not sign again for every Secret. */
    private static final java.util.Map<String, java.util.Optional<String>> MEMO = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, java.util.Optional<String>> eldest) {
                    return size() > 20_000;
                }
            });

    /** The outcome: null when the pair is fine (or cannot be checked here), else what is wrong. */
    static String problem(String certPem, String keyPem) {
        String id = ContentHash.sha256((certPem + "\n" + keyPem).getBytes(StandardCharsets.UTF_8));
        java.util.Optional<String> known = MEMO.get(id);
        if (known == null) {
            known = java.util.Optional.ofNullable(check(certPem, keyPem));
            MEMO.put(id, known);
        }
        return known.orElse(null);
    }

    /** {@link #problem} without the memo (a test's view: the memo is shared by every caller). */
    static String check(String certPem, String keyPem) {
        Matcher m = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END \\1-----").matcher(keyPem);
        if (!m.find()) {
            return "tls.key is not a PEM-encoded private key";
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2).trim());
        } catch (IllegalArgumentException e) {
            return "tls.key is not valid base64 inside its PEM block";
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            return null; // the certificate's own check reports it
        }
        PublicKey pub = cert.getPublicKey();
        byte[] pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> wrap(pub, der);
            default -> null; // encrypted or unknown: Envoy decides
        };
        if (pkcs8 == null) {
            return null;
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(pub.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (Exception e) {
            return "tls.key is not a " + pub.getAlgorithm() + " private key, as its certificate needs (or it is malformed)";
        }
        try {
            return matches(key, pub) ? null : "tls.key does not belong to the certificate in tls.crt";
        } catch (Exception e) {
            return null; // an algorithm this JDK cannot sign with: Envoy decides
        }
    }

    /** Whether what {@code key} signs, {@code pub} verifies. */
    private static boolean matches(PrivateKey key, PublicKey pub) throws java.security.GeneralSecurityException {
        byte[] data = new byte[32];
        new SecureRandom().nextBytes(data);
        String alg = switch (pub.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> pub.getAlgorithm();
        };
        Signature sign = Signature.getInstance(alg);
        sign.initSign(key);
        sign.update(data);
        Signature verify = Signature.getInstance(alg);
        verify.initVerify(pub);
        verify.update(data);
        return verify.verify(sign.sign());
    }

    /**
     * Pays ahead for what the JDK does once per process on the first P-256 signature (it computes a
     * table of the curve's generator multiples: tens of milliseconds while the code still runs
     * interpreted, a third of the first build's time with the examples' certificates), by checking a
     * throwaway pair. True when that check passed.
     */
    static boolean warmUp() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            java.security.KeyPair pair = generator.generateKeyPair();
            return matches(pair.getPrivate(), pair.getPublic());
        } catch (java.security.GeneralSecurityException e) {
            return false; // no EC here: nothing to pay ahead for
        }
    }

    /**
     * A PKCS#1 or SEC1 key as PKCS#8: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key },
     * with the certificate's own AlgorithmIdentifier (which carries an EC key's curve).
     */
    private static byte[] wrap(PublicKey pub, byte[] key) {
        byte[] spki = pub.getEncoded();
        int[] outer = header(spki, 0); // SubjectPublicKeyInfo SEQUENCE
        int[] algId = outer == null ? null : header(spki, outer[1]); // its first element: the AlgorithmIdentifier
        if (algId == null) {
            return null;
        }
        byte[] algorithm = Arrays.copyOfRange(spki, outer[1], algId[1] + algId[2]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(tlv(0x04, key));
        return tlv(0x30, body.toByteArray());
    }

    /** {tag, offset of the content, content length} of the DER element at {@code at}, or null. */
    private static int[] header(byte[] der, int at) {
        if (at + 2 > der.length) {
            return null;
        }
        int len = der[at + 1] & 0xff;
        int start = at + 2;
        if (len > 0x80) {
            int n = len - 0x80;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[start + i] & 0xff);
            }
            start += n;
        }
        return new int[] {der[at] & 0xff, start, len};
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            byte[] l = java.math.BigInteger.valueOf(len).toByteArray();
            int skip = l[0] == 0 ? 1 : 0;
            out.write(0x80 | (l.length - skip));
            out.write(l, skip, l.length - skip);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private KeyPairCheck() {
    }
}
