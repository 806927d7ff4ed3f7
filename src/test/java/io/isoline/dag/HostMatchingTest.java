package io.isoline.dag;

import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.ingress;
import static io.isoline.testing.EnvoySimulator.servedBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import org.junit.jupiter.api.Test;

/** Ingress host semantics: exact, one-label wildcards, case and port, and unclaimed hosts. */
class HostMatchingTest {

    private static final String BACKENDS = backend("default", "a", "10.0.0.1") + backend("default", "b", "10.0.0.2")
            + backend("default", "d", "10.0.0.4");

    @Test
    void exactHostServesOnlyThatHost() {
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + ingress("i", "foo.com", "/", "Prefix", "a"));
        assertThat(servedBy(envoy.http("foo.com", "/"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("bar.foo.com", "/"))).isEqualTo("404");
        assertThat(servedBy(envoy.http("other.com", "/"))).isEqualTo("404");
    }

    @Test
    void wildcardMatchesExactlyOneExtraLabel() {
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + ingress("i", "*.foo.com", "/", "Prefix", "a"));
        assertThat(servedBy(envoy.http("bar.foo.com", "/x"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("baz.bar.foo.com", "/x"))).isEqualTo("404");
        assertThat(servedBy(envoy.http("foo.com", "/x"))).isEqualTo("404");
    }

    @Test
    void hostMatchingIgnoresCaseAndPort() {
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + ingress("i", "Foo.COM", "/", "Prefix", "a")
                + ingress("w", "*.wild.com", "/", "Prefix", "b"));
        assertThat(servedBy(envoy.http("FOO.com", "/"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("foo.com:8080", "/"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("X.Wild.Com:443", "/"))).isEqualTo("b");
    }

    @Test
    void rulesWithoutHostAndDefaultBackendServeUnclaimedHosts() {
        String defaults = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: defaults, namespace: default}
                spec:
                  defaultBackend: {service: {name: d, port: {number: 80}}}
                  rules:
                  - http:
                      paths:
                      - {path: /hostless, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}
                ---
                """;
        EnvoySimulator envoy = Fixture.envoy(BACKENDS + defaults + ingress("i", "foo.com", "/app", "Prefix", "a")
                + ingress("w", "*.wild.com", "/app", "Prefix", "a"));
        assertThat(servedBy(envoy.http("anything.net", "/hostless/x"))).isEqualTo("b");
        assertThat(servedBy(envoy.http("anything.net", "/"))).isEqualTo("d");
        // A claimed host is not served by what serves unclaimed ones.
        assertThat(servedBy(envoy.http("foo.com", "/app"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("foo.com", "/other"))).isEqualTo("404");
        // Names deeper than a wildcard's one label are unclaimed, so they reach the defaults.
        assertThat(servedBy(envoy.http("x.wild.com", "/app"))).isEqualTo("a");
        assertThat(servedBy(envoy.http("a.b.wild.com", "/app"))).isEqualTo("d");
        assertThat(servedBy(envoy.http("a.b.wild.com", "/hostless"))).isEqualTo("b");
    }

    @Test
    void onlyOneDefaultBackendIsUsedAndTheOtherIngressIsTold() {
        String twoDefaults = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: first, namespace: default}
                spec: {defaultBackend: {service: {name: a, port: {number: 80}}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: second, namespace: default}
                spec: {defaultBackend: {service: {name: b, port: {number: 80}}}}
                """;
        var result = Fixture.translate(BACKENDS + twoDefaults);
        assertThat(servedBy(new EnvoySimulator(result.resources()).http("x.com", "/"))).isEqualTo("a");
        assertThat(result.statuses()).filteredOn(s -> s.name().equals("second")).singleElement()
                .satisfies(s -> {
                    assertThat(s.currentStatus()).isEqualTo("invalid");
                    assertThat(s.description()).contains("already set by Ingress default/first");
                });
        assertThat(result.statuses()).filteredOn(s -> s.name().equals("first")).singleElement()
                .satisfies(s -> assertThat(s.currentStatus() + ": " + s.description()).isEqualTo("valid: valid Ingress"));
        var noSpec = Fixture.translate(BACKENDS + twoDefaults.replace(
                "spec: {defaultBackend: {service: {name: b, port: {number: 80}}}}", ""));
        assertThat(noSpec.statuses()).filteredOn(s -> s.name().equals("second")).singleElement()
                .satisfies(s -> assertThat(s.currentStatus() + ": " + s.description()).isEqualTo("invalid: spec is missing"));
    }

    @Test
    void malformedWildcardIsReportedAndNotServed() {
        var result = Fixture.translate(BACKENDS + ingress("i", "foo.*.com", "/", "Prefix", "a"));
        assertThat(result.statuses()).singleElement().satisfies(s -> {
            assertThat(s.currentStatus()).isEqualTo("invalid");
            assertThat(s.description()).contains("spec.rules host \"foo.*.com\"");
        });
        assertThat(result.resources().clusters()).isEmpty();
    }
}
