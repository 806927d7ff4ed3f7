package io.isoline.xds.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.isoline.testing.Fixture;
import io.isoline.testing.Manifests;
import org.junit.jupiter.api.Test;

/**
 * Proxyless gRPC clients find a service by host name, so every plain-HTTP virtual host with an
 * exact name gets an API listener of that name, routing over Envoy's own route table; Envoy never
 * gets them, and a wildcard host (which a client cannot dial) gets none.
 */
class ProxylessListenersTest {

    private static final String STATE = Manifests.backend("a", "site", "10.0.1.1") + Manifests.backend("c", "shop", "10.0.3.1") + """
            apiVersion: contour.heptio.com/v1beta1
            kind: IngressRoute
            metadata: {name: www, namespace: a}
            spec: {virtualhost: {fqdn: a.example.com}, routes: [{match: /, services: [{name: site, port: 80}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: shop, namespace: c}
            spec:
              rules:
              - {host: c.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}]}}
              - {host: "*.w.example.com", http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}]}}
            ---
            """;

    @Test
    void eachExactHostGetsAnApiListenerOverTheSharedRouteTable() throws Exception {
        XdsResources r = Fixture.translate(STATE).resources();
        assertThat(r.apiListeners()).extracting(Listener::getName).containsExactly("a.example.com", "c.example.com");
        for (Listener l : r.apiListeners()) {
            assertThat(l.hasApiListener()).isTrue();
            assertThat(l.hasAddress()).as("an API listener binds nothing").isFalse();
            HttpConnectionManager hcm = l.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
            assertThat(hcm.getRds().getRouteConfigName()).isEqualTo(RouteTranslator.HTTP_ROUTES);
            assertThat(hcm.getRds().getConfigSource().hasAds()).isTrue();
            assertThat(hcm.getAccessLogList()).as("a proxyless client has no Envoy stdout").isEmpty();
        }
        assertThat(r.listeners()).extracting(Listener::getName).doesNotContain("a.example.com", "c.example.com");
        assertThat(r.grpcListeners()).containsAll(r.listeners()).containsAll(r.apiListeners())
                .hasSize(r.listeners().size() + r.apiListeners().size());
    }

    @Test
    void theApiListenersHaveTheirOwnVersion() {
        XdsResources r = Fixture.translate(STATE).resources();
        XdsResources fewer = XdsResources.of(r.listeners(), r.routes(), r.clusters(), r.endpoints(), r.secrets(),
                r.apiListeners().subList(0, 1));
        assertThat(fewer.apiListenersVersion()).isNotEqualTo(r.apiListenersVersion());
        assertThat(fewer.listenersVersion()).isEqualTo(r.listenersVersion());
        assertThat(fewer.version()).isNotEqualTo(r.version());
    }
}
