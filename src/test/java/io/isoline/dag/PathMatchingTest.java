package io.isoline.dag;

import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.ingress;
import static io.isoline.testing.EnvoySimulator.servedBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import org.junit.jupiter.api.Test;

/** Ingress v1 pathType semantics, checked by the route Envoy would pick for real request paths. */
class PathMatchingTest {

    private static final String BACKENDS = backend("default", "a", "10.0.0.1") + backend("default", "b", "10.0.0.2")
            + backend("default", "c", "10.0.0.3");

    @Test
    void exactMatchesOnlyThatPathCaseSensitively() {
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + ingress("i", "x.com", "/foo", "Exact", "a"));
        assertThat(servedBy(envoy.http("x.com", "/foo"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/foo?q=1"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/foo/"))).isEqualTo("404");
        assertThat(servedBy(envoy.http("x.com", "/foo/bar"))).isEqualTo("404");
        assertThat(servedBy(envoy.http("x.com", "/FOO"))).isEqualTo("404");
    }

    @Test
    void prefixMatchesWholePathElements() {
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + ingress("i", "x.com", "/foo", "Prefix", "a"));
        assertThat(servedBy(envoy.http("x.com", "/foo"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/foo/"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/foo/bar"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/foobar"))).isEqualTo("404");
        assertThat(servedBy(envoy.http("x.com", "/fo"))).isEqualTo("404");
    }

    @Test
    void trailingSlashInPrefixRuleIsIgnored() {
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + ingress("i", "x.com", "/foo/", "Prefix", "a"));
        assertThat(servedBy(envoy.http("x.com", "/foo"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/foo/bar"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/foobar"))).isEqualTo("404");
    }

    @Test
    void implementationSpecificIsTreatedAsPrefix() {
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + ingress("i", "x.com", "/foo", "ImplementationSpecific", "a"));
        assertThat(servedBy(envoy.http("x.com", "/foo/bar"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/foobar"))).isEqualTo("404");
    }

    @Test
    void longestPathWinsWhateverTheOrderInTheObject() {
        String shortFirst = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: i, namespace: default}
                spec:
                  rules:
                  - host: x.com
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
                      - {path: /api, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}
                      - {path: /api/v2, pathType: Prefix, backend: {service: {name: c, port: {number: 80}}}}
                """;
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + shortFirst);
        assertThat(servedBy(envoy.http("x.com", "/"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/apiary"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("x.com", "/api/users"))).isEqualTo("b");
        assertThat(servedBy(envoy.http("x.com", "/api/v2/users"))).isEqualTo("c");
    }

    @Test
    void longestPathWinsAcrossIngressesForTheSameHost() {
        // "aaa" sorts first and holds the shortest path: processing order must not matter.
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + ingress("aaa", "x.com", "/", "Prefix", "a")
                + ingress("zzz", "x.com", "/shop", "Prefix", "b"));
        assertThat(servedBy(envoy.http("x.com", "/shop/cart"))).isEqualTo("b");
        assertThat(servedBy(envoy.http("x.com", "/other"))).isEqualTo("a");
    }

    @Test
    void exactBeatsPrefixOfEqualLength() {
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + ingress("aaa", "x.com", "/foo", "Prefix", "a")
                + ingress("zzz", "x.com", "/foo", "Exact", "b"));
        assertThat(servedBy(envoy.http("x.com", "/foo"))).isEqualTo("b");
        assertThat(servedBy(envoy.http("x.com", "/foo/x"))).isEqualTo("a");
    }

    @Test
    void aPathClaimedTwiceStaysWithTheFirstIngressAndTheSecondIsTold() {
        var result = Fixture.translate(BACKENDS + ingress("aaa", "x.com", "/foo", "Prefix", "a")
                + ingress("zzz", "x.com", "/foo", "Prefix", "b"));
        assertThat(servedBy(new EnvoySimulator(result.resources()).http("x.com", "/foo"))).isEqualTo("a");
        assertThat(result.statuses()).filteredOn(s -> s.name().equals("zzz")).singleElement()
                .satisfies(s -> assertThat(s.description()).contains("/foo is already served by Ingress default/aaa"));
    }
}
