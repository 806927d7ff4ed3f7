package io.isoline.dag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isoline.testing.EnvoyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PathRegex} judged by real Envoy: every regex it accepts compiles in Envoy's RE2, and its
 * program is no larger than the estimate (so never above Envoy's limit, which would make Envoy
 * reject the whole route table). Envoy tells the real size when its error level is 1: each regex is
 * validated alone with {@code re2.max_program_size.error_level: 1} and the size read from the
 * error. The regexes are generated (fixed seed) from the accepted subset, with some outside it.
 * In package {@code dag} to reach the estimate; the traffic test is in {@code EnvoyIngressIT}.
 */
class EnvoyRegexIT {

    private static final Pattern SIZE = Pattern.compile("RE2 program size of (\\d+)");
    private static final String[] ATOMS = {"a", "b", "/", "-", "_", "é", ".", "[a-z]", "[^/]", "[0-9a-f]", "[-_.]",
        "[^a-z0-9]", "\\d", "\\w", "\\S", "\\.", "\\/", "[\\d\\w]"};
    private static final String[] QUANTIFIERS = {"", "", "", "*", "+", "?", "*?", "{2}", "{3,}", "{1,4}", "{0,2}", "{5}", "{2,6}"};

    @TempDir
    Path dir;

    private static String generate(Random rnd, int depth) {
        StringBuilder out = new StringBuilder();
        int pieces = 1 + rnd.nextInt(depth == 0 ? 9 : 4);
        for (int i = 0; i < pieces; i++) {
            if (depth < 2 && rnd.nextInt(5) == 0) {
                out.append(rnd.nextBoolean() ? "(" : "(?:").append(generate(rnd, depth + 1));
                if (rnd.nextInt(3) == 0) {
                    out.append('|').append(generate(rnd, depth + 1));
                }
                out.append(')');
            } else {
                out.append(ATOMS[rnd.nextInt(ATOMS.length)]);
            }
            out.append(QUANTIFIERS[rnd.nextInt(QUANTIFIERS.length)]);
        }
        return out.toString();
    }

    /** What Envoy says of {@code regex} on a route: its RE2 program size, or the whole output when it says something else. */
    private String envoySize(Path envoy, String regex) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode route = json.createObjectNode();
        route.putObject("match").putObject("safe_regex").put("regex", regex);
        route.putObject("direct_response").put("status", 200);
        Map<String, Object> hcm = Map.of("@type", "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                "stat_prefix", "x",
                "http_filters", List.of(Map.of("name", "envoy.filters.http.router",
                        "typed_config", Map.of("@type", "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"))),
                "route_config", Map.of("virtual_hosts", List.of(Map.of("name", "v", "domains", List.of("*"), "routes", List.of(route)))));
        Map<String, Object> bootstrap = Map.of(
                "layered_runtime", Map.of("layers", List.of(Map.of("name", "sizes", "static_layer",
                        Map.of("re2.max_program_size.error_level", 1)))),
                "static_resources", Map.of("listeners", List.of(Map.of("name", "l",
                        "address", Map.of("socket_address", Map.of("address", "127.0.0.1", "port_value", 10000)),
                        "filter_chains", List.of(Map.of("filters", List.of(Map.of("name", "envoy.filters.network.http_connection_manager",
                                "typed_config", hcm))))))));
        Path config = dir.resolve("regex.json");
        Files.writeString(config, json.writeValueAsString(bootstrap));
        String out = EnvoyProcess.run(envoy, "--mode", "validate", "-c", config.toString(), "--disable-hot-restart", "--log-level", "critical");
        Matcher m = SIZE.matcher(out);
        return m.find() ? m.group(1) : out;
    }

    @Test
    void everyAcceptedRegexCompilesInEnvoyWithinTheEstimatedProgramSize() throws Exception {
        Path envoy = EnvoyProcess.require();
        Random rnd = new Random(20261201);
        List<String> wrong = new ArrayList<>();
        int accepted = 0;
        int tightest = Integer.MAX_VALUE;
        int largest = 0;
        for (int i = 0; i < 400 && accepted < 150; i++) {
            String regex = "/" + generate(rnd, 0);
            if (PathRegex.problem(regex) != null) {
                continue;
            }
            accepted++;
            int estimate = PathRegex.estimate(regex);
            largest = Math.max(largest, estimate);
            String actual = envoySize(envoy, PathRegex.forEnvoy(regex));
            if (!actual.matches("\\d+") || Integer.parseInt(actual) > estimate) {
                wrong.add(regex + " (estimate " + estimate + "): " + actual);
            } else {
                tightest = Math.min(tightest, estimate - Integer.parseInt(actual));
            }
        }
        System.out.println("EnvoyRegexIT: " + accepted + " accepted regexes checked, estimates up to " + largest
                + ", smallest margin " + tightest);
        assertThat(accepted).as("enough of the generated regexes are in the subset").isGreaterThan(60);
        assertThat(wrong).as("regexes the guard accepts but Envoy compiles larger than estimated, or not at all").isEmpty();
    }

    @Test
    void typicalPathRegexesAndTheLargestAcceptedOnesAreJudgedRight() throws Exception {
        Path envoy = EnvoyProcess.require();
        for (String regex : List.of("/api/v[0-9]+/users/[^/]+/orders/[0-9]+(/.*)?", "/(en|de|fr)/docs/.*", "/a{93}",
                "/[a-z]{46}", "/static/.*\\.(css|js|png)", "/é{46}")) {
            assertThat(PathRegex.problem(regex)).as(regex).isNull();
            String actual = envoySize(envoy, PathRegex.forEnvoy(regex));
            assertThat(Integer.parseInt(actual)).as(regex).isLessThanOrEqualTo(PathRegex.estimate(regex))
                    .isLessThanOrEqualTo(PathRegex.MAX_PROGRAM_SIZE);
        }
    }
}
