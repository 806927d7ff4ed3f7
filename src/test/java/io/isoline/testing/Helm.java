package io.isoline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Helm 3 binary ({@code .ci/install-helm} installs one into {@code .tools/helm};
 * {@code ISOLINE_HELM} names another) run on the repository's chart.
 */
public final class Helm {

    public static final Path CHART = Path.of("helm/isoline");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public record Result(int code, String out, String err) {
    }

    private Helm() {
    }

    /** The binary; skips the test (fails it in CI) when there is none. */
    public static Path require() {
        String env = System.getenv("ISOLINE_HELM");
        Path helm = env != null && !env.isBlank() ? Path.of(env) : Path.of(".tools/helm/helm");
        RealTier.assume(Files.isExecutable(helm), "Helm binary: run .ci/install-helm first");
        return helm;
    }

    public static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(require().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("helm " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), out, err);
    }

    /** {@code helm template edge helm/isoline --namespace ingress --set ...}: the objects by {@code Kind/name}. */
    public static Map<String, JsonNode> render(String... sets) throws Exception {
        List<String> args = new ArrayList<>(List.of("template", "edge", CHART.toString(), "--namespace", "ingress"));
        for (String s : sets) {
            args.addAll(List.of("--set", s));
        }
        Result r = run(args.toArray(String[]::new));
        if (r.code() != 0) {
            throw new AssertionError("helm template failed: " + r.err());
        }
        return byKindAndName(r.out());
    }

    /**
     * A rendered container's literal environment ({@code value}, not {@code valueFrom}), with the
     * chart's {@code /certs/} mount point moved to {@code certs}: what the container would run with.
     */
    public static Map<String, String> environment(JsonNode container, Path certs) {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.get("name").asText(), e.get("value").asText().replace("/certs/", certs.toAbsolutePath() + "/"));
            }
        });
        return env;
    }

    /** The documents of a multi-document YAML text by {@code Kind/name}. */
    public static Map<String, JsonNode> byKindAndName(String yaml) throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        try (var docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode d = (JsonNode) docs.next();
                if (d != null && d.has("kind")) {
                    out.put(d.get("kind").asText() + "/" + d.at("/metadata/name").asText(), d);
                }
            }
        }
        return out;
    }
}
