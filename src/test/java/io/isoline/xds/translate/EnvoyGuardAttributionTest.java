package io.isoline.xds.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.isoline.dag.Dag;
import io.isoline.dag.DagBuilder;
import io.isoline.testing.Fixture;
import io.isoline.testing.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * When Envoy would reject a resource, the guard blames exactly the objects that made the broken part,
 * for every resource type: a route, a virtual host, a cluster, its endpoints, a certificate, a TLS
 * filter chain, an API listener. The other tenants are never blamed (they keep their routes); a
 * problem in a part no object made is a translator bug and is reported as such.
 */
class EnvoyGuardAttributionTest {

    private static final String TENANTS = Manifests.backend("a", "site", "10.0.1.1") + Manifests.backend("a", "api", "10.0.1.2")
            + Manifests.backend("b", "web", "10.0.2.1") + Manifests.tlsSecret("b", "cert")
            + Manifests.backend("c", "shop", "10.0.3.1") + """
            apiVersion: contour.heptio.com/v1beta1
            kind: IngressRoute
            metadata: {name: www, namespace: a}
            spec:
              virtualhost: {fqdn: a.example.com}
              routes:
              - {match: /, services: [{name: site, port: 80}]}
              - {match: /api, delegate: {name: api}}
            ---
            apiVersion: contour.heptio.com/v1beta1
            kind: IngressRoute
            metadata: {name: api, namespace: a}
            spec: {routes: [{match: /api, services: [{name: api, port: 80}]}]}
            ---
            apiVersion: contour.heptio.com/v1beta1
            kind: IngressRoute
            metadata: {name: www, namespace: b}
            spec:
              virtualhost: {fqdn: b.example.com, tls: {secretName: cert}}
              routes: [{match: /, services: [{name: web, port: 80}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: shop, namespace: c}
            spec: {rules: [{host: c.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}]}}]}
            ---
            """;

    private final Dag dag = DagBuilder.build(Fixture.state(TENANTS), TranslateOptions.DEFAULT.dag(), Map.of());
    private final XdsResources good = ConfigTranslator.resources(dag, TranslateOptions.DEFAULT, TranslationMemo.none());

    @Test
    void theTenantsAsTheyAreAreClean() {
        assertThat(EnvoyGuard.check(dag, good).clean()).isTrue();
        assertThat(good.secrets()).isNotEmpty();
        assertThat(good.apiListeners()).isNotEmpty();
    }

    @Test
    void aBrokenRouteBlamesTheObjectThatMadeThatRouteOnly() {
        XdsResources r = withRoutes(rc -> !rc.getName().equals(RouteTranslator.HTTP_ROUTES) ? rc
                : editHost(rc, "a.example.com", vh -> {
                    VirtualHost.Builder b = vh.toBuilder();
                    for (int i = 0; i < b.getRoutesCount(); i++) {
                        if (b.getRoutes(i).getMatch().getPrefix().equals("/api")) {
                            b.setRoutes(i, b.getRoutes(i).toBuilder().clearMatch());
                        }
                    }
                    return b.build();
                }));
        assertThat(rejected(r)).containsOnlyKeys("IngressRoute a/api");
        assertThat(rejected(r).get("IngressRoute a/api")).contains("route configuration ingress_http").contains("match: is required");
    }

    @Test
    void aBrokenVirtualHostBlamesEveryObjectWithARouteInIt() {
        XdsResources r = withRoutes(rc -> !rc.getName().equals(RouteTranslator.HTTP_ROUTES) ? rc
                : editHost(rc, "a.example.com", vh -> vh.toBuilder().setName("").build()));
        assertThat(rejected(r)).containsOnlyKeys("IngressRoute a/www", "IngressRoute a/api");
    }

    @Test
    void aBrokenRouteOfATlsHostBlamesThatHostsObjects() {
        XdsResources r = withRoutes(rc -> !rc.getName().equals(RouteTranslator.httpsRouteName("b.example.com")) ? rc
                : rc.toBuilder().setVirtualHosts(0, rc.getVirtualHosts(0).toBuilder()
                        .setRoutes(0, rc.getVirtualHosts(0).getRoutes(0).toBuilder().clearMatch())).build());
        assertThat(rejected(r)).containsOnlyKeys("IngressRoute b/www");
    }

    @Test
    void aBrokenClusterBlamesTheObjectsRoutingToIt() {
        List<Cluster> clusters = new ArrayList<>();
        for (Cluster c : good.clusters()) {
            clusters.add(!c.getName().startsWith("c/shop/") ? c
                    : c.toBuilder().setConnectTimeout(Duration.newBuilder().setSeconds(-1)).build());
        }
        XdsResources r = XdsResources.of(good.listeners(), good.routes(), clusters, good.endpoints(), good.secrets(),
                good.apiListeners());
        assertThat(rejected(r)).containsOnlyKeys("Ingress c/shop");
        assertThat(rejected(r).get("Ingress c/shop")).startsWith("Envoy would reject cluster c/shop/");
    }

    @Test
    void brokenEndpointsBlameTheObjectsWhoseClustersUseThem() {
        List<ClusterLoadAssignment> endpoints = new ArrayList<>();
        for (ClusterLoadAssignment e : good.endpoints()) {
            endpoints.add(!e.getClusterName().startsWith("b/web/") ? e : e.toBuilder().setEndpoints(0, e.getEndpoints(0).toBuilder()
                    .setLbEndpoints(0, e.getEndpoints(0).getLbEndpoints(0).toBuilder().setEndpoint(
                            e.getEndpoints(0).getLbEndpoints(0).getEndpoint().toBuilder().setAddress(
                                    e.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().toBuilder().setSocketAddress(
                                            e.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress()
                                                    .toBuilder().setPortValue(70_000)))))).build());
        }
        XdsResources r = XdsResources.of(good.listeners(), good.routes(), good.clusters(), endpoints, good.secrets(),
                good.apiListeners());
        assertThat(rejected(r)).containsOnlyKeys("IngressRoute b/www");
        assertThat(rejected(r).get("IngressRoute b/www")).contains("port_value: must be at most 65535");
    }

    @Test
    void aBrokenCertificateBlamesTheHostThatServesIt() {
        List<Secret> secrets = good.secrets().stream().map(s -> s.toBuilder().setTlsCertificate(s.getTlsCertificate().toBuilder()
                .setCertificateChain(DataSource.newBuilder().setFilename(""))).build()).toList();
        XdsResources r = XdsResources.of(good.listeners(), good.routes(), good.clusters(), good.endpoints(), secrets,
                good.apiListeners());
        assertThat(rejected(r)).containsOnlyKeys("IngressRoute b/www");
    }

    @Test
    void aBrokenTlsFilterChainBlamesItsHostOnly() {
        XdsResources r = withUnnamedFirstFilter(ListenerTranslator.HTTPS_LISTENER);
        assertThat(rejected(r)).containsOnlyKeys("IngressRoute b/www");
    }

    @Test
    void aBrokenApiListenerBlamesTheObjectsRoutingOnItsHost() {
        List<Listener> api = good.apiListeners().stream().map(l -> !l.getName().equals("c.example.com") ? l
                : l.toBuilder().setApiListener(l.getApiListener().toBuilder().setApiListener(
                        com.google.protobuf.Any.pack(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                                .HttpConnectionManager.getDefaultInstance()))).build()).toList();
        XdsResources r = XdsResources.of(good.listeners(), good.routes(), good.clusters(), good.endpoints(), good.secrets(), api);
        assertThat(rejected(r)).containsOnlyKeys("Ingress c/shop");
    }

    @Test
    void aBrokenPartNoObjectMadeIsATranslatorBugNotATenantsFault() {
        XdsResources r = withUnnamedFirstFilter(ListenerTranslator.HTTP_LISTENER);
        EnvoyGuard.Findings findings = EnvoyGuard.check(dag, r);
        assertThat(findings.rejections()).isEmpty();
        assertThat(findings.unattributed()).singleElement().asString()
                .startsWith("Envoy would reject listener ingress_http: filter_chains[0].filters[0].name");
    }

    private Map<String, String> rejected(XdsResources r) {
        EnvoyGuard.Findings findings = EnvoyGuard.check(dag, r);
        assertThat(findings.unattributed()).isEmpty();
        return findings.rejections();
    }

    /** The listener {@code name} with its first chain's first filter unnamed (Envoy requires a name). */
    private XdsResources withUnnamedFirstFilter(String name) {
        List<Listener> listeners = good.listeners().stream().map(l -> !l.getName().equals(name) ? l
                : l.toBuilder().setFilterChains(0, l.getFilterChains(0).toBuilder()
                        .setFilters(0, l.getFilterChains(0).getFilters(0).toBuilder().setName(""))).build()).toList();
        return XdsResources.of(listeners, good.routes(), good.clusters(), good.endpoints(), good.secrets(), good.apiListeners());
    }

    private XdsResources withRoutes(UnaryOperator<RouteConfiguration> edit) {
        return XdsResources.of(good.listeners(), good.routes().stream().map(edit).toList(), good.clusters(), good.endpoints(),
                good.secrets(), good.apiListeners());
    }

    private static RouteConfiguration editHost(RouteConfiguration rc, String domain, UnaryOperator<VirtualHost> edit) {
        RouteConfiguration.Builder b = rc.toBuilder();
        boolean found = false;
        for (int i = 0; i < b.getVirtualHostsCount(); i++) {
            if (b.getVirtualHosts(i).getDomainsList().contains(domain)) {
                b.setVirtualHosts(i, edit.apply(b.getVirtualHosts(i)));
                found = true;
            }
        }
        assertThat(found).as("a virtual host for " + domain).isTrue();
        return b.build();
    }
}
