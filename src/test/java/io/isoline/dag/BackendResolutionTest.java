package io.isoline.dag;

import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.EnvoySimulator.Answered;
import io.isoline.testing.EnvoySimulator.Proxied;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backends by Service port number or name, in the Ingress's namespace, and their ready endpoints. */
class BackendResolutionTest {

    private static String ingressTo(String service, String port) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: i, namespace: default}
                spec:
                  rules:
                  - host: x.com
                    http:
                      paths: [{path: /, pathType: Prefix, backend: {service: {name: %s, port: %s}}}]
                """.formatted(service, port);
    }

    private static List<String> endpoints(TranslationResult r) {
        ClusterLoadAssignment cla = r.resources().endpoints().get(0);
        return cla.getEndpointsList().stream().flatMap(l -> l.getLbEndpointsList().stream())
                .map(e -> e.getEndpoint().getAddress().getSocketAddress())
                .map(a -> a.getAddress() + ":" + a.getPortValue()).toList();
    }

    @Test
    void servicePortByNumberOrByNameGivesTheSameCluster() {
        var byNumber = Fixture.translate(backend("default", "web", "10.0.0.1") + ingressTo("web", "{number: 80}"));
        var byName = Fixture.translate(backend("default", "web", "10.0.0.1") + ingressTo("web", "{name: http}"));
        assertThat(byNumber.resources().clusters()).singleElement()
                .satisfies(c -> assertThat(c.getName()).isEqualTo("default/web/80/da39a3ee5e"));
        assertThat(byName.resources().clusters()).isEqualTo(byNumber.resources().clusters());
        assertThat(endpoints(byName)).containsExactly("10.0.0.1:8080");
    }

    @Test
    void backendsResolveOnlyInTheIngressNamespace() {
        var result = Fixture.translate(backend("other", "web", "10.0.0.1") + ingressTo("web", "{number: 80}"));
        EnvoySimulator envoy = new EnvoySimulator(result.resources());
        assertThat(envoy.http("x.com", "/")).isEqualTo(new Answered(503));
        assertThat(result.resources().clusters()).isEmpty();
        assertThat(result.statuses()).singleElement().satisfies(s -> {
            assertThat(s.currentStatus()).isEqualTo("valid");
            assertThat(s.description()).contains("service default/web not found (requests get 503)");
        });
    }

    @Test
    void unknownPortIsReportedWithTheServiceAndPort() {
        var result = Fixture.translate(backend("default", "web", "10.0.0.1") + ingressTo("web", "{number: 81}"));
        assertThat(result.statuses().get(0).description()).contains("service default/web has no port 81");
    }

    @Test
    void onlyReadyAddressesFromAllSlicesAreUsedOnTheResolvedTargetPort() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec: {ports: [{name: http, port: 80, targetPort: web}, {name: admin, port: 81, targetPort: 9901}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: web-a, namespace: default, labels: {kubernetes.io/service-name: web}}
                addressType: IPv4
                ports: [{name: http, port: 8080}, {name: admin, port: 9901}]
                endpoints:
                - {addresses: [10.0.0.2], conditions: {ready: true}}
                - {addresses: [10.0.0.9], conditions: {ready: false}}
                - {addresses: [10.0.0.1]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: web-b, namespace: default, labels: {kubernetes.io/service-name: web}}
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints: [{addresses: [10.0.0.3]}, {addresses: [10.0.0.1]}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: unrelated, namespace: default, labels: {kubernetes.io/service-name: other}}
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints: [{addresses: [10.9.9.9]}]
                ---
                """;
        assertThat(endpoints(Fixture.translate(yaml + ingressTo("web", "{number: 80}"))))
                .containsExactly("10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080");
        assertThat(endpoints(Fixture.translate(yaml + ingressTo("web", "{name: admin}"))))
                .containsExactly("10.0.0.1:9901", "10.0.0.2:9901");
    }

    @Test
    void legacyEndpointsAreUsedWhenAServiceHasNoSlices() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec: {ports: [{port: 80, targetPort: 8080}]}
                ---
                apiVersion: v1
                kind: Endpoints
                metadata: {name: web, namespace: default}
                subsets:
                - addresses: [{ip: 10.0.0.5}, {ip: 10.0.0.4}]
                  notReadyAddresses: [{ip: 10.0.0.6}]
                  ports: [{port: 8080}]
                ---
                """;
        var result = Fixture.translate(yaml + ingressTo("web", "{number: 80}"));
        assertThat(endpoints(result)).containsExactly("10.0.0.4:8080", "10.0.0.5:8080");
        assertThat(result.resources().endpoints().get(0).getClusterName()).isEqualTo("default/web");
        assertThat(new EnvoySimulator(result.resources()).http("x.com", "/")).isInstanceOf(Proxied.class);
    }

    @Test
    void externalNameServicesAreRefusedByDefaultWithAReason() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata: {name: ext, namespace: default}
                spec: {type: ExternalName, externalName: example.org, ports: [{port: 80}]}
                ---
                """;
        var result = Fixture.translate(yaml + ingressTo("ext", "{number: 80}"));
        assertThat(result.statuses().get(0).description()).contains("is an ExternalName Service, which this controller does not serve");
    }
}
