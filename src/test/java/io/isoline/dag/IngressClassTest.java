package io.isoline.dag;

import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.Fixture;
import io.isoline.xds.translate.ListenerOptions;
import io.isoline.xds.translate.TranslateOptions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which Ingresses are ours: class annotations, spec.ingressClassName, IngressClass controllers. */
class IngressClassTest {

    private static final String CLASSES = """
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: contour-internal}
            spec: {controller: projectcontour.io/ingress-controller}
            ---
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: isoline}
            spec: {controller: isoline.io/ingress-controller}
            ---
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: edge}
            spec: {controller: isoline.io/ingress-controller}
            ---
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: nginx}
            spec: {controller: k8s.io/ingress-nginx}
            ---
            """;

    private static String ingress(String name, String annotation, String className) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: %s
                  namespace: default
                  annotations: {%s}
                spec:
                  %s
                  rules: [{host: %s.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
                ---
                """.formatted(name, annotation == null ? "" : annotation,
                className == null ? "" : "ingressClassName: " + className, name);
    }

    private static final String OBJECTS = backend("default", "web", "10.0.0.1") + CLASSES
            + ingress("none", null, null)
            + ingress("contour-default", null, "contour")
            + ingress("contour-class", null, "contour-internal")
            + ingress("our-class", null, "isoline")
            + ingress("our-controller", null, "edge")
            + ingress("nginx-class", null, "nginx")
            + ingress("nginx-annotation", "kubernetes.io/ingress.class: nginx", null)
            + ingress("annotation-wins", "kubernetes.io/ingress.class: nginx", "isoline")
            + ingress("heptio-annotation", "contour.heptio.com/ingress.class: internal", null)
            + ingress("projectcontour-annotation", "projectcontour.io/ingress.class: internal", null);

    private static List<String> served(String configuredClass) {
        return servedWith(new DagOptions(configuredClass, TlsVersion.TLS_1_2, Set.of()));
    }

    private static List<String> servedWith(DagOptions dag) {
        var options = new TranslateOptions(dag, ListenerOptions.DEFAULT);
        return Fixture.translate(OBJECTS, options).statuses().stream().map(ObjectStatus::name).toList();
    }

    /** Beside Contour (which serves class-less objects and class contour by default), Isoline takes none of Contour's. */
    @Test
    void withoutAConfiguredClassClasslessObjectsOurClassAndOurControllersClassesAreServedButNotContours() {
        assertThat(served(null)).containsExactly("none", "our-class", "our-controller");
    }

    /** --serve-contour-class: replacing Contour in place, its default class and controller are ours too. */
    @Test
    void servingContoursClassTakesItsDefaultClassAndItsControllersClasses() {
        assertThat(servedWith(new DagOptions(null, TlsVersion.TLS_1_2, Set.of(), false, true, false, false, null, false)))
                .containsExactly("contour-class", "contour-default", "none", "our-class", "our-controller");
    }

    @Test
    void withAConfiguredClassOnlyThatClassIsServedAndClasslessObjectsAreNot() {
        assertThat(served("internal")).containsExactly("heptio-annotation", "projectcontour-annotation");
        assertThat(served("isoline")).containsExactly("our-class");
    }

    @Test
    void objectsOfAnotherClassGetNoRoutes() {
        var options = new TranslateOptions(new DagOptions("internal", TlsVersion.TLS_1_2, Set.of()), ListenerOptions.DEFAULT);
        var result = Fixture.translate(OBJECTS, options);
        assertThat(result.resources().routes().get(0).getVirtualHostsList()).extracting(v -> v.getName())
                .containsExactly("heptio-annotation.com", "projectcontour-annotation.com");
    }
}
