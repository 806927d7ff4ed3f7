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
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        StringBuilder san = new StringBuilder("subjectAltName=DNS:" + cn);
        for (String m : more) {
            san.append(",DNS:").append(m);
        }
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + cn, "-addext", san.toString(),
                "-keyout", key.toString(), "-out", cert.toString()));
        Process openssl = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new AssertionError("openssl failed: " + out);
        }
        return new Pair(cert, key);
    }
}
