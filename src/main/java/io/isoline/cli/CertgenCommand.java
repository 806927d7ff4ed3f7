package io.isoline.cli;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.isoline.certgen.XdsCertificates;
import io.isoline.dag.GoDuration;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code certgen}: issues the xDS mutual-TLS certificates ({@link XdsCertificates}) and writes them
 * as files ({@code --out DIR}) or as two kubernetes.io/tls Secrets with {@code ca.crt}
 * ({@code --kubernetes}, run as a Job by the chart). In Kubernetes, Secrets that are still valid
 * for longer than {@code --renew-before} are kept, so running it again (an upgrade, a CronJob) only
 * rotates what is about to expire. Never prints a key.
 */
@Command(name = "certgen", mixinStandardHelpOptions = true,
        description = "Issue the xDS mutual-TLS certificates (a CA, the controller's and Envoy's) as files or Secrets.")
public class CertgenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Inject
    Instance<KubernetesClient> kubernetes;

    @Option(names = "--out", paramLabel = "DIR", description = "Write DIR/controller/ and DIR/envoy/ (tls.crt, tls.key, ca.crt).")
    Path out;

    @Option(names = "--kubernetes", description = "Write the two Secrets in --namespace instead (kubeconfig or in-cluster).")
    boolean toKubernetes;

    @Option(names = "--namespace", description = "The controller's namespace. Default: $POD_NAMESPACE, else isoline-system.")
    String namespace;

    @Option(names = "--service", defaultValue = "isoline", description = "The controller's Service (Envoy dials it). Default: ${DEFAULT-VALUE}.")
    String service;

    @Option(names = "--controller-secret", defaultValue = "isoline-xds", description = "Default: ${DEFAULT-VALUE}.")
    String controllerSecret;

    @Option(names = "--envoy-secret", defaultValue = "envoy-xds", description = "Default: ${DEFAULT-VALUE}.")
    String envoySecret;

    @Option(names = "--validity", defaultValue = "8760h", paramLabel = "DURATION", description = "Default: ${DEFAULT-VALUE} (a year).")
    String validity;

    @Option(names = "--ca-secret", defaultValue = "isoline-xds-ca", description = "With --kubernetes: where the CA (and its key) is kept, "
            + "so re-issued certificates chain to the CA both sides already trust. Default: ${DEFAULT-VALUE}.")
    String caSecret;

    @Option(names = "--ca-validity", defaultValue = "43800h", paramLabel = "DURATION",
            description = "With --kubernetes: a new CA's validity; it is replaced once it would end before a new pair. Default: ${DEFAULT-VALUE} (5 years).")
    String caValidity;

    @Option(names = "--renew-before", defaultValue = "720h", paramLabel = "DURATION",
            description = "With --kubernetes: keep Secrets valid for longer than this. Default: ${DEFAULT-VALUE} (30 days).")
    String renewBefore;

    @Option(names = "--every", paramLabel = "DURATION",
            description = "With --kubernetes: keep running, checking the Secrets again at this interval (at least 1m), so they are "
                    + "re-issued before they expire (deploy/ and the OLM bundle run it so).")
    String every;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Duration> valid = GoDuration.parse(validity).filter(d -> d.compareTo(Duration.ofHours(1)) >= 0);
        Optional<Duration> renew = GoDuration.parse(renewBefore);
        Optional<Duration> caValid = GoDuration.parse(caValidity).filter(d -> valid.isPresent() && d.compareTo(valid.get()) >= 0);
        Optional<Duration> interval = every == null ? Optional.empty()
                : GoDuration.parse(every).filter(d -> d.compareTo(Duration.ofMinutes(1)) >= 0 && d.compareTo(renew.orElse(d)) < 0);
        if ((out == null) == !toKubernetes || valid.isEmpty() || renew.isEmpty() || renew.get().compareTo(valid.get()) >= 0
                || caValid.isEmpty()) {
            err.println("error: give exactly one of --out DIR and --kubernetes; --validity at least 1h and longer than --renew-before; "
                    + "--ca-validity at least --validity");
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        if (every != null && (!toKubernetes || interval.isEmpty())) {
            err.println("error: --every needs --kubernetes and a duration of at least 1m, shorter than --renew-before, not " + every);
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        while (true) {
            int code = once(valid.get(), renew.get(), caValid.get());
            if (interval.isEmpty()) {
                return code;
            }
            // A failed round (API server away, RBAC) is retried next round; the pod stays up.
            Thread.sleep(interval.get().toMillis());
        }
    }

    private int once(Duration valid, Duration renew, Duration caValid) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        String ns = Optional.ofNullable(namespace).or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                .filter(v -> !v.isBlank()).orElse("isoline-system");
        Instant now = Instant.now();
        if (out != null) {
            XdsCertificates.Set set = XdsCertificates.issue(service, ns, now, valid);
            write(out.resolve("controller"), set.controller());
            write(out.resolve("envoy"), set.envoy());
            stdout.printf("wrote %s/controller and %s/envoy (valid until %s)%n", out, out, set.controller().notAfter());
            stdout.flush();
            return 0;
        }
        try {
            KubernetesClient client = kubernetes.get();
            Instant until = validUntil(client, ns);
            if (until != null && until.isAfter(now.plus(renew))) {
                stdout.printf("Secrets %s/%s and %s/%s are valid until %s: kept%n", ns, controllerSecret, ns, envoySecret, until);
                stdout.flush();
                return 0;
            }
            // Keep the CA while it outlives a new pair: both sides already trust it, so the controller
            // (re-reading its files) and every running Envoy keep talking through the rotation.
            Optional<XdsCertificates.Authority> kept = authority(client, ns).filter(a -> a.notAfter().isAfter(now.plus(valid)));
            XdsCertificates.Authority ca = kept.orElseGet(() -> XdsCertificates.authority(now, caValid));
            if (kept.isEmpty()) {
                applyAuthority(client, ns, ca);
            }
            XdsCertificates.Set set = XdsCertificates.issue(ca, service, ns, now, valid);
            apply(client, ns, envoySecret, set.envoy());
            apply(client, ns, controllerSecret, set.controller());
            stdout.printf("wrote Secrets %s/%s and %s/%s (valid until %s; %s)%n", ns, controllerSecret, ns, envoySecret,
                    set.controller().notAfter(), kept.isPresent() ? "the CA in " + ns + "/" + caSecret + " kept"
                            : "a new CA in " + ns + "/" + caSecret + ": Envoys started before trust only the old one until they restart");
            stdout.flush();
            return 0;
        } catch (KubernetesClientException e) {
            err.println("error: cannot write the Secrets in " + ns + ": " + (e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : e.getMessage()));
            err.flush();
            return 1;
        }
    }

    /** When the pair in the cluster stops being usable (the earlier expiry), or null if it is missing or not one pair. */
    private Instant validUntil(KubernetesClient client, String ns) {
        Secret controller = client.secrets().inNamespace(ns).withName(controllerSecret).get();
        Secret envoy = client.secrets().inNamespace(ns).withName(envoySecret).get();
        if (controller == null || envoy == null || controller.getData() == null || envoy.getData() == null
                || !java.util.Objects.equals(controller.getData().get("ca.crt"), envoy.getData().get("ca.crt"))) {
            return null;
        }
        Instant a = notAfter(controller.getData().get("tls.crt"));
        Instant b = notAfter(envoy.getData().get("tls.crt"));
        return a == null || b == null ? null : a.isBefore(b) ? a : b;
    }

    private static Instant notAfter(String base64Pem) {
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
            return c.getNotAfter().toInstant();
        } catch (Exception unreadable) {
            return null; // replaced below
        }
    }

    private Optional<XdsCertificates.Authority> authority(KubernetesClient client, String ns) {
        Secret secret = client.secrets().inNamespace(ns).withName(caSecret).get();
        if (secret == null || secret.getData() == null || secret.getData().get("ca.crt") == null || secret.getData().get("ca.key") == null) {
            return Optional.empty();
        }
        Base64.Decoder b64 = Base64.getDecoder();
        try {
            return XdsCertificates.Authority.parse(new String(b64.decode(secret.getData().get("ca.crt")), StandardCharsets.US_ASCII),
                    new String(b64.decode(secret.getData().get("ca.key")), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException badBase64) {
            return Optional.empty();
        }
    }

    private void applyAuthority(KubernetesClient client, String ns, XdsCertificates.Authority ca) {
        Secret secret = new SecretBuilder().withNewMetadata().withName(caSecret).withNamespace(ns)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "isoline-certgen")).endMetadata()
                .withType("Opaque").withStringData(Map.of("ca.crt", ca.certificate(), "ca.key", ca.privateKey())).build();
        client.secrets().inNamespace(ns).resource(secret).fieldManager("isoline-certgen").forceConflicts().serverSideApply();
    }

    private void apply(KubernetesClient client, String ns, String name, XdsCertificates.Side side) {
        Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "isoline-certgen")).endMetadata()
                .withType("kubernetes.io/tls")
                .withStringData(Map.of("tls.crt", side.certificate(), "tls.key", side.privateKey(), "ca.crt", side.ca())).build();
        client.secrets().inNamespace(ns).resource(secret).fieldManager("isoline-certgen").forceConflicts().serverSideApply();
    }

    private static void write(Path dir, XdsCertificates.Side side) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tls.crt"), side.certificate(), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("ca.crt"), side.ca(), StandardCharsets.US_ASCII);
        Path key = dir.resolve("tls.key");
        Files.deleteIfExists(key);
        try {
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(key);
        }
        Files.writeString(key, side.privateKey(), StandardCharsets.US_ASCII);
    }
}
