package io.isoline.dag;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.ingress;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contour's regex Ingress paths: an ImplementationSpecific path with any of {@code ^+*[]%} is a
 * regex over the whole path; one Envoy could not compile never reaches it (it would reject every
 * tenant's routes), and only that path is refused.
 */
class RegexPathTest {

    private static final String BACKENDS = backend("default", "a", "10.0.0.1") + backend("default", "b", "10.0.0.2");

    /** An Ingress {@code i} with one ImplementationSpecific path to {@code a} (single-quoted: regexes have backslashes). */
    private static String regexIngress(String path) {
        return ingress("i", "x.com", "PATH", "ImplementationSpecific", "a").replace("\"PATH\"", "'" + path.replace("'", "''") + "'");
    }

    private static TranslationResult translate(String path) {
        return Fixture.translate(BACKENDS + regexIngress(path) + ingress("other", "x.com", "/other", "Prefix", "b"));
    }

    @Test
    void aRegexPathMatchesTheWholePath() {
        EnvoySimulator envoy = new EnvoySimulator(translate("/api/v[0-9]+/.*").resources());
        assertThat(servedBy(envoy.http("x.com", "/api/v2/users"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/api/v10/"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/api/v2/users?page=2"))).as("the query is not part of the path").isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/api/vx/users"))).isEqualTo("404");
        assertThat(servedBy(envoy.http("x.com", "/api/v2"))).as("a whole-path match, not a prefix").isEqualTo("404");
        assertThat(servedBy(envoy.http("x.com", "/other"))).isEqualTo("b");
    }

    @Test
    void envoyGetsItAnchoredAtTheStart() {
        var route = translate("/static/.*\\.css").resources().routes().get(0).getVirtualHosts(0).getRoutesList().stream()
                .filter(r -> r.getMatch().hasSafeRegex()).findFirst().orElseThrow();
        assertThat(route.getMatch().getSafeRegex().getRegex()).isEqualTo("^/static/.*\\.css");
    }

    @Test
    void onlyImplementationSpecificPathsAreRegexesAndPercentMakesOneAsInContour() {
        EnvoySimulator prefix = Fixture.envoy(BACKENDS + ingress("i", "x.com", "/a+b", "Prefix", "a"));
        assertThat(servedBy(prefix.http("x.com", "/a+b/c"))).as("Prefix stays a literal prefix").isEqualTo("a");
        assertThat(servedBy(prefix.http("x.com", "/aab/c"))).isEqualTo("404");
        EnvoySimulator percent = new EnvoySimulator(translate("/a%20b").resources());
        assertThat(servedBy(percent.http("x.com", "/a%20b"))).isEqualTo("a");
        assertThat(servedBy(percent.http("x.com", "/a%20b/c"))).as("a regex: the whole path").isEqualTo("404");
        EnvoySimulator dotted = new EnvoySimulator(translate("/index.html").resources());
        assertThat(servedBy(dotted.http("x.com", "/index.html/x"))).as("no regex character: a prefix").isEqualTo("a");
    }

    @Test
    void regexRoutesComeBeforePrefixesOfAnyLengthAsInContour() {
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + regexIngress("/a.*") + ingress("other", "x.com", "/abc/def", "Prefix", "b"));
        assertThat(servedBy(envoy.http("x.com", "/abc/def/x"))).isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a[", "/(a*", "/a*)", "/[a]{2000}", "/\\p{L}+", "/(?i)a*", "/a**", "/x{*", "/[z-a]*",
            "/\\x{41}*", "/a*\\", "/[]a]*", "/[[:alpha:]]*", "/((((a{10}){10})))*", "/[ab](a|b|c|d|e|f|g|h){20}"})
    void aRegexEnvoyCouldNotCompileIsRefusedAndOnlyThatPath(String path) {
        TranslationResult r = translate(path);
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("x.com", "/other"))).isEqualTo("b");
        assertThat(r.resources().routes().toString()).doesNotContain("safe_regex {\n      regex: \"^/");
        assertThat(r.statuses()).filteredOn(s -> s.name().equals("i")).singleElement()
                .satisfies(s -> assertThat(s.description()).contains("host x.com path \"" + path + "\": a regex path "));
    }

    @Test
    void theEstimateGrowsWithCountedRepetitionAndStaysSmallForTypicalPaths() {
        assertThat(PathRegex.problem("/api/v[0-9]+/users/[^/]+/orders/[0-9]+(/.*)?")).isNull();
        assertThat(PathRegex.problem("/(en|de|fr)/docs/.*")).isNull();
        assertThat(PathRegex.problem("/a{40}")).isNull();
        assertThat(PathRegex.problem("/[a-z]{40}")).isNull();
        assertThat(PathRegex.problem("/[a-z]{60}")).contains("too complex");
    }

    @Test
    void theEdgesOfTheAcceptedSubset() {
        for (String ok : new String[] {"/a{2,}", "/a{2,2}", "/a{2,3}?", "/(?:ab)+", "/a*?", "/a??", "/[\\d-]+", "/[a\\-z]",
                "/[a-a]", "/[^/]", "/\u00e4+", "/\ud83d\ude00+", "/x$", "/\\.\\*", "/a|b|c"}) {
            assertThat(PathRegex.problem(ok)).as(ok).isNull();
        }
        String[][] refused = {
            {"/a{3,2}", "a repetition {3,2} has its maximum below its minimum"},
            {"/a{1001}", "a repetition count is above 1000"},
            {"/a{2", "a '{' must be a repetition"},
            {"/a*?*", "a quantifier cannot follow another quantifier"},
            {"/$*", "a quantifier cannot follow an anchor"},
            {"/[\u00e4]", "is not supported in a class"},
            {"/[b-a]", "the range b-a is not a range of plain characters in order"},
            {"/[a-\\d]", "the range a-\\ is not a range"},
            {"/\\q", "the escape \\q is not supported"},
            {"/[\\q]", "the escape \\q is not supported in a class"},
            {"/(?P<n>a)", "flags and named groups are not supported"},
            {"/a".repeat(600), "is longer than 1024 characters"},
        };
        for (String[] c : refused) {
            assertThat(PathRegex.problem(c[0])).as(c[0]).contains(c[1]);
        }
    }

    /** Where the limit falls for counted repetition of one literal: RE2 writes the atom out n times. */
    @Test
    void theLimitForACountedLiteral() {
        assertThat(PathRegex.problem("/a{93}")).isNull();
        assertThat(PathRegex.problem("/a{95}")).contains("too complex");
        assertThat(PathRegex.problem("/a{2,40}")).as("each optional copy costs a choice too").isNull();
        assertThat(PathRegex.problem("/a{2,50}")).contains("too complex");
        assertThat(PathRegex.problem("/a{40,}")).isNull();
        assertThat(PathRegex.problem("/a{50,}")).contains("too complex");
    }
}
