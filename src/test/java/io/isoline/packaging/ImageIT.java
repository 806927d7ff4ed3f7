package io.isoline.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.isoline.testing.AdsClient;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.OciImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image of {@code src/main/docker/Dockerfile.jvm}, built here with no Docker daemon
 * ({@link OciImage}), as a platform team would check it: non-root, files it cannot change, layers
 * that share the dependencies between releases, the name deploy/ and the chart pull, an AOT cache
 * the JVM can use, and started as a runtime starts it (read-only root, tmpfs /tmp) it serves xDS and
 * answers its probes.
 */
class ImageIT {

    private static final Path TARGET = Path.of("target/image-it");
    private static final String USER = "65532:65532";
    private static OciImage image;

    @BeforeAll
    static void build() throws Exception {
        OciImage.require();
        OciImage.shell("rm -rf " + TARGET);
        Files.createDirectories(TARGET);
        image = OciImage.build(Path.of("src/main/docker/Dockerfile.jvm"), tag(), TARGET.resolve("oci"), TARGET.resolve("build.log"));
    }

    /** The one image name deploy/isoline.yaml and the chart's defaults use. */
    private static String tag() throws Exception {
        String deploy = Files.readString(Path.of("deploy/isoline.yaml"));
        String name = deploy.lines().filter(l -> l.trim().startsWith("image: ")).findFirst().orElseThrow().trim().substring(7);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode values = yaml.readTree(Path.of("helm/isoline/values.yaml").toFile());
        JsonNode chart = yaml.readTree(Path.of("helm/isoline/Chart.yaml").toFile());
        assertThat(values.at("/image/repository").asText() + ":" + chart.get("appVersion").asText())
                .as("the chart's default image is deploy/'s").isEqualTo(name);
        return name;
    }

    @Test
    void runsAsAnUnprivilegedUserFromFilesThatUserCannotChange() throws Exception {
        JsonNode config = image.config.get("config");
        assertThat(config.get("User").asText()).isEqualTo(USER);
        assertThat(config.get("Entrypoint").get(0).asText()).isEqualTo("/opt/isoline/bin/isoline");
        assertThat(config.get("Cmd").get(0).asText()).isEqualTo("serve");
        assertThat(config.get("ExposedPorts").has("8001/tcp")).isTrue();
        assertThat(config.get("ExposedPorts").has("9000/tcp")).isTrue();
        List<String> layers = image.layers();
        for (String layer : layers.subList(1, layers.size())) {
            for (String entry : image.listing(layer)) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] fields = entry.trim().split("\\s+");
                assertThat(fields[1]).as(entry).isEqualTo("0/0");
                assertThat(fields[0].charAt(5)).as("group-writable: " + entry).isEqualTo('-');
                assertThat(fields[0].charAt(8)).as("world-writable: " + entry).isEqualTo('-');
                assertThat(fields[fields.length - 1]).as(entry).startsWith("opt/");
            }
        }
    }

    @Test
    void dependenciesAreALayerOfTheirOwnAndEveryApplicationLayerIsReproducible() throws Exception {
        List<String> layers = image.layers();
        assertThat(layers).hasSize(8);
        List<String> lib = image.listing(layers.get(1));
        assertThat(lib).filteredOn(l -> l.startsWith("-")).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" opt/isoline/lib/"));
        assertThat(lib).anySatisfy(l -> assertThat(l).contains("opt/isoline/lib/main/io.grpc.grpc-core"));
        OciImage again = OciImage.build(Path.of("src/main/docker/Dockerfile.jvm"), tag(), TARGET.resolve("oci-again"),
                TARGET.resolve("build-again.log"));
        assertThat(again.layers()).as("an unchanged build gives the same layers, so a registry and a node keep them"
                + " (the AOT cache's layer is made once for the layers below it and kept)").isEqualTo(layers);
    }

    @Test
    void theLastLayerIsTheAotCacheOfATrainingRun() throws Exception {
        List<String> layers = image.layers();
        assertThat(image.listing(layers.get(layers.size() - 1))).filteredOn(l -> !l.isBlank()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("-rw-r--r-- 0/0").endsWith(" opt/isoline/isoline.aot"));
        assertThat(image.env("ISOLINE_AOT_CACHE")).isEqualTo("/opt/isoline/isoline.aot");
    }


    @Test
    void startedAsARuntimeStartsItItServesXdsAndAnswersItsProbes() throws Exception {
        Path root = TARGET.resolve("root");
        image.unpack(root);
        int xds = IsolineProcess.freePort();
        int management = IsolineProcess.freePort();
        Path log = TARGET.resolve("run.log");
        // AOTMode=on: the JVM refuses to start unless it can use the image's AOT cache (by default
        // it would go on without it), so this also proves the cache matches the image.
        Process process = image.run(root, Map.of("ISOLINE_XDS_PORT", "" + xds, "ISOLINE_MANAGEMENT_PORT", "" + management,
                "JAVA_OPTS", image.env("JAVA_OPTS") + " -XX:AOTMode=on"), log, "serve", "--manifests", "examples");
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("the image's process exited:\n" + OciImage.tail(log)).isTrue();
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException notYet) {
                    status = 0;
                }
                if (status != 200) {
                    Thread.sleep(200);
                }
            }
            assertThat(status).as("readiness of the image's process:\n" + OciImage.tail(log)).isEqualTo(200);
            try (AdsClient ads = new AdsClient("127.0.0.1", xds, "image-it")) {
                var listeners = AdsClient.unpack(ads.subscribe(AdsClient.LDS, List.of(), Duration.ofSeconds(30)), Listener.class);
                assertThat(listeners).extracting(Listener::getName).contains("ingress_http", "ingress_https");
            }
            assertThat(Files.readString(log)).doesNotContain("Exception")
                    .as("standalone mode: readiness probes do not make the operator and its reconcilers")
                    .doesNotContain("Registered reconciler");
        } finally {
            OciImage.stop(process);
        }
        assertThat(Files.readString(log)).as("a SIGTERM stops it cleanly").contains("isoline stopped in");
    }
}
