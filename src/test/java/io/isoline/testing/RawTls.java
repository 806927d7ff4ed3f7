package io.isoline.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 GET over TLS with {@code openssl s_client}, for what Java's TLS client will not do:
 * send no SNI name at all, or present a client certificate whatever CAs the server names.
 */
public final class RawTls {

    /**
     * @param statusLine the first line of the HTTP answer, "" when the handshake or the request was refused
     * @param subject    the server certificate's subject as openssl prints it ("CN = x"), "" when none was seen
     * @param body       everything after the answer's headers
     */
    public record Answer(String statusLine, String subject, String body) {
    }

    private RawTls() {
    }

    /**
     * @param sni  the SNI name to send; null sends none
     * @param cert a client certificate to present; null presents none
     */
    public static Answer get(int port, String sni, String host, String path, Certificates.Pair cert) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-no_ign_eof"));
        cmd.addAll(sni == null ? List.of("-noservername") : List.of("-servername", sni));
        if (cert != null) {
            cmd.addAll(List.of("-cert", cert.cert().toString(), "-key", cert.key().toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes());
        p.getOutputStream().flush();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(EnvoyProcess.WAIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl s_client did not finish");
        }
        String subject = out.lines().filter(l -> l.startsWith("subject=")).map(l -> l.substring("subject=".length()).trim())
                .findFirst().orElse("");
        int http = out.indexOf("HTTP/1.1 ");
        if (http < 0) {
            return new Answer("", subject, "");
        }
        String answer = out.substring(http);
        int end = answer.indexOf("\r\n\r\n");
        return new Answer(answer.lines().findFirst().orElse(""), subject, end < 0 ? "" : answer.substring(end + 4));
    }
}
