package io.isoline.source;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Ingresses in {@code extensions/v1beta1} and {@code networking.k8s.io/v1beta1} (every Ingress
 * Contour ever shipped) read from files as the API server would serve them as v1.
 */
class LegacyIngressTest {

    private static final String LEGACY = """
            apiVersion: %s
            kind: Ingress
            metadata: {name: old, namespace: default, annotations: {kubernetes.io/ingress.class: isoline}}
            spec:
              backend: {serviceName: web, servicePort: 80}
              tls: [{hosts: [old.example.com], secretName: cert}]
              rules:
              - host: old.example.com
                http:
                  paths:
                  - {path: /api, backend: {serviceName: api, servicePort: http}}
                  - {path: /exact, pathType: Exact, backend: {serviceName: web, servicePort: 80}}
            """;

    @Test
    void bothLegacyVersionsReadAsV1WithTheirBackendsAndDefaultPathType() throws Exception {
        for (String version : new String[] {"extensions/v1beta1", "networking.k8s.io/v1beta1"}) {
            var parsed = ManifestParser.parse(Path.of("old.yaml"), new StringReader(LEGACY.formatted(version)));
            Ingress ingress = (Ingress) parsed.objects().get(0);
            assertThat(ingress.getApiVersion()).isEqualTo("networking.k8s.io/v1");
            assertThat(ingress.getSpec().getDefaultBackend().getService().getName()).isEqualTo("web");
            assertThat(ingress.getSpec().getDefaultBackend().getService().getPort().getNumber()).isEqualTo(80);
            var paths = ingress.getSpec().getRules().get(0).getHttp().getPaths();
            assertThat(paths.get(0).getPathType()).isEqualTo("ImplementationSpecific");
            assertThat(paths.get(0).getBackend().getService().getPort().getName()).isEqualTo("http");
            assertThat(paths.get(1).getPathType()).isEqualTo("Exact");
            assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("cert");
            assertThat(ingress.getMetadata().getAnnotations()).containsEntry("kubernetes.io/ingress.class", "isoline");
            assertThat(parsed.warnings()).singleElement().satisfies(w -> assertThat(w)
                    .isEqualTo("old.yaml (document 0): Ingress old " + version + " is read as networking.k8s.io/v1"));
        }
    }

    @Test
    void aLegacyIngressIsServedLikeItsV1Form() {
        EnvoySimulator envoy = Fixture.envoy(backend("default", "web", "10.0.0.1") + backend("default", "api", "10.0.0.2")
                + LEGACY.formatted("extensions/v1beta1"));
        assertThat(servedBy(envoy.http("old.example.com", "/api/x"))).isEqualTo("api");
        assertThat(servedBy(envoy.http("old.example.com", "/exact"))).isEqualTo("web");
        assertThat(servedBy(envoy.http("other.example.com", "/"))).as("the default backend").isEqualTo("web");
    }

    @Test
    void aLegacyBackendOfTheWrongShapeNamesTheField() {
        String yaml = LEGACY.formatted("extensions/v1beta1").replace("servicePort: http", "servicePort: [1]");
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(ManifestException.class,
                () -> ManifestParser.parse(Path.of("old.yaml"), new StringReader(yaml)));
        assertThat(e.getMessage()).contains("Ingress old").contains("servicePort");
    }
}
