package io.isoline.dag;

import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.statuses;
import static io.isoline.testing.IngressRoutes.toService;
import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Values a tenant can write that would make Envoy reject the shared route table (overflowing
 * durations, weight sums beyond uint32) or that crashed the translation (null list elements): the
 * object at fault is invalid with a status naming the field; every other object stays served.
 */
class HostileValuesTest {

    private static final String BACKENDS = backend("team", "app", "10.0.1.1") + backend("team", "app2", "10.0.1.2")
            + backend("team", "app3", "10.0.1.3") + backend("other", "web", "10.0.2.1");
    /** The honest tenant: it must be served whatever the other objects say. */
    private static final String HONEST = root("other", "web", "honest.example.com", toService("/", "web"));

    private static List<String> domains(TranslationResult r) {
        return r.resources().routes().stream().flatMap(rc -> rc.getVirtualHostsList().stream())
                .flatMap(v -> v.getDomainsList().stream()).toList();
    }

    private static TranslationResult translate(String hostile) {
        TranslationResult r = Fixture.translate(BACKENDS + HONEST + hostile);
        assertThat(domains(r)).contains("honest.example.com");
        assertThat(statuses(r)).containsEntry("other/web", "valid: valid IngressRoute");
        assertThat(r.publishable()).as(r.errors().toString()).isTrue();
        return r;
    }

    @Test
    void aTimeoutBeyondWhatADurationHoldsMeansNoTimeoutNeverANegativeOne() {
        // Contour reads a duration Go cannot parse as "infinite" (ToleratedValuesTest): never an overflow.
        var r = translate(root("team", "slow", "slow.example.com",
                "  - {match: /, timeoutPolicy: {request: 9999999999h}, services: [{name: app, port: 80}]}\n"));
        assertThat(statuses(r).get("team/slow")).startsWith("valid: ").contains("timeoutPolicy.request \"9999999999h\"");
        assertThat(r.resources().routes().toString()).doesNotContain("seconds: -");
        var retry = translate(root("team", "slow", "slow.example.com",
                "  - {match: /, retryPolicy: {count: 1, perTryTimeout: 99999999999999s}, services: [{name: app, port: 80}]}\n"));
        assertThat(statuses(retry).get("team/slow")).startsWith("valid: ").contains("perTryTimeout");
        assertThat(retry.resources().routes().toString()).doesNotContain("seconds: -");
    }

    @Test
    void anIngressTimeoutAnnotationBeyondRangeIsIgnoredWithAWarning() {
        var r = translate("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: slow, namespace: team, annotations: {projectcontour.io/request-timeout: 9999999999h}}
                spec: {rules: [{host: slow.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}]}}]}
                """);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("team/slow").contains("request-timeout"));
        assertThat(r.resources().routes().toString()).doesNotContain("seconds: -");
    }

    @Test
    void healthCheckIntervalsAreBounded() {
        var r = translate(root("team", "hc", "hc.example.com",
                "  - {match: /, services: [{name: app, port: 80, healthCheck: {path: /h, intervalSeconds: 400000000000}}]}\n"));
        assertThat(statuses(r).get("team/hc")).startsWith("invalid: ").contains("intervalSeconds");
    }

    @Test
    void weightsWhoseSumEnvoyRefusesAreInvalid() {
        var r = translate(root("team", "heavy", "heavy.example.com", "  - {match: /, services: [{name: app, port: 80, weight: 2000000000},"
                + " {name: app2, port: 80, weight: 2000000000}, {name: app3, port: 80, weight: 2000000000}]}\n"));
        assertThat(statuses(r).get("team/heavy")).startsWith("invalid: ").contains("weights");
        // The same Service twice must not overflow into a small (or negative) weight either.
        var twice = translate(root("team", "heavy", "heavy.example.com", "  - {match: /, services: [{name: app, port: 80, weight: 2147483647},"
                + " {name: app, port: 80, weight: 2147483647}, {name: app2, port: 80, weight: 1}]}\n"));
        assertThat(statuses(twice).get("team/heavy")).startsWith("invalid: ").contains("weights");
    }

    @Test
    void nullListElementsMakeOnlyTheirObjectInvalid() {
        for (String hostile : List.of(
                root("team", "n", "n.example.com", "  - null\n"),
                root("team", "n", "n.example.com", "  - {match: /, services: [null]}\n"))) {
            var r = translate(hostile);
            assertThat(statuses(r).get("team/n")).as(hostile).startsWith("invalid: ");
        }
        // A null delegate is no delegate: with no services either, the route is skipped (as Contour does).
        var nullDelegate = translate(root("team", "n", "n.example.com",
                "  - {match: /, services: [{name: app, port: 80}]}\n  - {match: /x, delegate: null}\n"));
        assertThat(statuses(nullDelegate).get("team/n")).startsWith("valid: ").contains("route \"/x\": has neither services nor a delegate");
        var delegation = translate("""
                apiVersion: contour.heptio.com/v1beta1
                kind: TLSCertificateDelegation
                metadata: {name: d, namespace: team}
                spec: {delegations: [null, {secretName: s, targetNamespaces: [null, other]}]}
                """);
        assertThat(delegation.resources().listeners()).isNotEmpty();
        var ingress = translate("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: n, namespace: team}
                spec:
                  tls: [null, {hosts: [null]}]
                  rules: [null, {host: n.example.com, http: {paths: [null, {path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}]}}]
                """);
        assertThat(domains(ingress)).contains("n.example.com");
    }

    @Test
    void integersBeyondInt32DecodeAndAreReportedNotFatal() {
        var r = translate(root("team", "big", "big.example.com", "  - {match: /, services: [{name: app, port: 80, weight: 2147483648}]}\n")
                + root("team", "port", "port.example.com", "  - {match: /, services: [{name: app, port: 9999999999}]}\n")
                + root("team", "retry", "retry.example.com",
                        "  - {match: /, retryPolicy: {count: 99999999999}, services: [{name: app, port: 80}]}\n"));
        assertThat(statuses(r).get("team/big")).isEqualTo("invalid: route \"/\": service \"app\": weight must be in the range 0-2147483647");
        assertThat(statuses(r).get("team/port")).isEqualTo("invalid: route \"/\": service \"app\": port must be in the range 1-65535");
        assertThat(statuses(r).get("team/retry")).startsWith("invalid: ").contains("retryPolicy.count");
    }

    @Test
    void endpointAddressesAndPortsEnvoyWouldRefuseAreLeftOut() {
        var r = translate("""
                apiVersion: v1
                kind: Service
                metadata: {name: odd, namespace: team}
                spec: {ports: [{name: http, port: 80}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: odd-1, namespace: team, labels: {kubernetes.io/service-name: odd}}
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints: [{addresses: ["999.1.1.1", "not-an-ip", "10.0.0.0/8", "10.0.1.5", "fd00::5", "fd00::zz"]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: zero, namespace: team}
                spec: {ports: [{name: http, port: 80}]}
                ---
                apiVersion: v1
                kind: Endpoints
                metadata: {name: zero, namespace: team}
                subsets: [{addresses: [{ip: 10.0.1.6}], ports: [{name: http, port: 0}]}]
                ---
                """ + root("team", "odd", "odd.example.com", toService("/", "odd") + toService("/zero", "zero")));
        var assignments = r.resources().endpoints().stream().collect(java.util.stream.Collectors.toMap(
                e -> e.getClusterName(), e -> e.getEndpointsList().stream().flatMap(l -> l.getLbEndpointsList().stream())
                        .map(l -> l.getEndpoint().getAddress().getSocketAddress().getAddress()).toList()));
        assertThat(assignments.get("team/odd/http")).containsExactlyInAnyOrder("10.0.1.5", "fd00::5");
        assertThat(assignments.get("team/zero/http")).isEmpty();
    }

    @Test
    void aStatusDescriptionStaysWritable() {
        StringBuilder paths = new StringBuilder();
        for (int i = 0; i < 8000; i++) {
            paths.append("{path: /p").append(i).append(", pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}},");
        }
        String ingress = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: %s, namespace: team}
                spec: {rules: [{host: dup.example.com, http: {paths: [%s]}}]}
                ---
                """;
        var r = translate(ingress.formatted("a", paths) + ingress.formatted("b", paths));
        assertThat(r.statuses()).filteredOn(s -> s.name().equals("b")).singleElement().satisfies(s -> {
            assertThat(s.description()).startsWith("nothing served: host dup.example.com path /p0 is already served by Ingress team/a")
                    .endsWith("more characters)");
            assertThat(s.description().length()).isLessThan(20_000);
        });
    }
}
