package io.isoline.cli;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.isoline.k8s.HTTPProxy;
import io.isoline.k8s.HTTPProxySpec;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.IngressRouteSpec;
import io.isoline.state.ClusterState;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import java.util.List;

/**
 * {@code serve}'s first translation, rehearsed on a background thread while Quarkus starts: loading
 * Envoy's descriptors and the guard's plans, protobuf's and the core's classes, and their first
 * compilations then happen beside the start instead of after it, on the critical path to the first
 * snapshot. The rehearsal translates a small built-in state (an Ingress, a root IngressRoute and a
 * root HTTPProxy to one Service), shares nothing with the real builds but the JVM, and its result
 * is dropped; a problem in it is the real first build's to report.
 */
final class Warmup {

    private Warmup() {
    }

    static void start() {
        Thread t = new Thread(Warmup::run, "isoline-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        try {
            ConfigTranslator.translate(sample(), TranslateOptions.DEFAULT);
        } catch (RuntimeException | LinkageError e) {
            // The real first build meets the same problem and reports it.
        }
    }

    static ClusterState sample() {
        ClusterState.Builder b = ClusterState.builder();
        b.add(new ServiceBuilder().withNewMetadata().withNamespace("warmup").withName("app").endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build());
        b.add(new EndpointSliceBuilder().withNewMetadata().withNamespace("warmup").withName("app-1")
                .addToLabels("kubernetes.io/service-name", "app").endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).endPort()
                .addNewEndpoint().withAddresses("10.0.0.1").endEndpoint().build());
        b.add(new IngressBuilder().withNewMetadata().withNamespace("warmup").withName("ingress").endMetadata()
                .withNewSpec().addNewRule().withHost("ingress.warmup.invalid").withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
                .withNewBackend().withNewService().withName("app").withNewPort().withNumber(80).endPort().endService().endBackend()
                .endPath().endHttp().endRule().endSpec().build());
        IngressRoute ir = new IngressRoute();
        ir.setMetadata(new ObjectMetaBuilder().withNamespace("warmup").withName("root").build());
        ir.setSpec(new IngressRouteSpec());
        ir.getSpec().virtualhost = new IngressRouteSpec.VirtualHost();
        ir.getSpec().virtualhost.fqdn = "ingressroute.warmup.invalid";
        IngressRouteSpec.Route route = new IngressRouteSpec.Route();
        route.match = "/";
        IngressRouteSpec.Service svc = new IngressRouteSpec.Service();
        svc.name = "app";
        svc.port = 80L;
        route.services = List.of(svc);
        ir.getSpec().routes = List.of(route);
        b.add(ir);
        HTTPProxy p = new HTTPProxy();
        p.setMetadata(new ObjectMetaBuilder().withNamespace("warmup").withName("proxy").build());
        p.setSpec(new HTTPProxySpec());
        p.getSpec().virtualhost = new HTTPProxySpec.VirtualHost();
        p.getSpec().virtualhost.fqdn = "httpproxy.warmup.invalid";
        HTTPProxySpec.Route proxyRoute = new HTTPProxySpec.Route();
        HTTPProxySpec.Service proxyService = new HTTPProxySpec.Service();
        proxyService.name = "app";
        proxyService.port = 80L;
        proxyRoute.services = List.of(proxyService);
        p.getSpec().routes = List.of(proxyRoute);
        b.add(p);
        return b.build();
    }
}
