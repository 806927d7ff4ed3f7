package io.isoline.xds.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each xDS type's version follows its content and nothing else: a change to one type changes that
 * type's version (so only it is re-sent) and the configuration's, and equal content gives equal
 * versions whatever instances hold it.
 */
class XdsResourcesTest {

    private static final Listener L = Listener.newBuilder().setName("ingress_http").build();
    private static final RouteConfiguration R = RouteConfiguration.newBuilder().setName("ingress_http").build();
    private static final Cluster C = Cluster.newBuilder().setName("a/s/80").setConnectTimeout(Duration.newBuilder().setSeconds(2)).build();
    private static final ClusterLoadAssignment E = ClusterLoadAssignment.newBuilder().setClusterName("a/s/80").build();
    private static final Secret S = Secret.newBuilder().setName("a/cert").build();
    private static final Listener API = Listener.newBuilder().setName("a.example.com").build();

    private static XdsResources base() {
        return XdsResources.of(List.of(L), List.of(R), List.of(C), List.of(E), List.of(S), List.of(API));
    }

    @Test
    void equalContentGivesEqualVersionsFromOtherInstances() {
        XdsResources again = XdsResources.of(List.of(L.toBuilder().build()), List.of(R.toBuilder().build()),
                List.of(C.toBuilder().build()), List.of(E.toBuilder().build()), List.of(S.toBuilder().build()),
                List.of(API.toBuilder().build()));
        assertThat(again).isEqualTo(base());
        assertThat(again.version()).isEqualTo(base().version());
    }

    @Test
    void aChangeToOneTypeChangesThatTypesVersionOnly() {
        XdsResources b = base();
        check(XdsResources.of(List.of(L.toBuilder().setStatPrefix("x").build()), List.of(R), List.of(C), List.of(E), List.of(S), List.of(API)),
                0);
        check(XdsResources.of(List.of(L), List.of(R.toBuilder().setName("other").build()), List.of(C), List.of(E), List.of(S), List.of(API)),
                1);
        check(XdsResources.of(List.of(L), List.of(R), List.of(C.toBuilder().setConnectTimeout(Duration.newBuilder().setSeconds(3)).build()),
                List.of(E), List.of(S), List.of(API)), 2);
        check(XdsResources.of(List.of(L), List.of(R), List.of(C), List.of(), List.of(S), List.of(API)), 3);
        check(XdsResources.of(List.of(L), List.of(R), List.of(C), List.of(E), List.of(S, Secret.newBuilder().setName("b/cert").build()),
                List.of(API)), 4);
        check(XdsResources.of(List.of(L), List.of(R), List.of(C), List.of(E), List.of(S), List.of()), 5);
        assertThat(b.listenersVersion()).isNotEqualTo(XdsResources.of(List.of(), List.of(R), List.of(C), List.of(E), List.of(S),
                List.of(API)).listenersVersion());
    }

    @Test
    void orderIsPartOfTheContent() {
        Cluster other = C.toBuilder().setName("b/s/80").build();
        assertThat(XdsResources.of(List.of(), List.of(), List.of(C, other), List.of(), List.of(), List.of()).clustersVersion())
                .isNotEqualTo(XdsResources.of(List.of(), List.of(), List.of(other, C), List.of(), List.of(), List.of()).clustersVersion());
    }

    private static final List<Function<XdsResources, String>> VERSIONS = List.of(XdsResources::listenersVersion,
            XdsResources::routesVersion, XdsResources::clustersVersion, XdsResources::endpointsVersion,
            XdsResources::secretsVersion, XdsResources::apiListenersVersion);

    /** {@code changed} differs from {@link #base()} in type {@code which} of {@link #VERSIONS}, and only there. */
    private static void check(XdsResources changed, int which) {
        XdsResources b = base();
        for (int i = 0; i < VERSIONS.size(); i++) {
            String before = VERSIONS.get(i).apply(b);
            String after = VERSIONS.get(i).apply(changed);
            if (i == which) {
                assertThat(after).as("version %d", i).isNotEqualTo(before);
            } else {
                assertThat(after).as("version %d", i).isEqualTo(before);
            }
        }
        assertThat(changed.version()).isNotEqualTo(b.version());
    }
}
