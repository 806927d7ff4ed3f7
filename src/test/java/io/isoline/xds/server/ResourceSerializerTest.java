package io.isoline.xds.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.isoline.state.ClusterState;
import io.isoline.testing.RandomCluster;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.XdsResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every xDS response carries must be exactly what java-control-plane's own packing gives,
 * whatever the serializer kept from earlier sends: an Envoy that parsed a route table stitched from
 * stale virtual host bytes would route to the wrong place.
 */
class ResourceSerializerTest {

    private static final Resources.ApiVersion V3 = Resources.ApiVersion.V3;

    @Test
    void everyResourceOfRandomClustersIsPackedExactlyAsAnyPackDoes() {
        for (long seed = 1; seed <= 12; seed++) {
            Random random = new Random(seed);
            RandomCluster cluster = new RandomCluster(random);
            ConfigTranslator translator = ConfigTranslator.incremental(); // reuses unchanged messages, as serve does
            ResourceSerializer serializer = new ResourceSerializer(); // kept across the changes, as the server keeps it
            for (int step = 0; step < 20; step++) {
                ClusterState state = cluster.state();
                XdsResources r = translator.next(state, TranslateOptions.DEFAULT).resources();
                all(r).forEach(m -> assertEquals(Any.pack(m), serializer.serialize(m, V3),
                        () -> m.getDescriptorForType().getName() + " " + Resources.getResourceName(m) + ", versions " + cluster.describe()));
                cluster.change();
            }
        }
    }

    @Test
    void aRouteTableWithOneHostChangedIsTheNewTableNotTheOld() throws Exception {
        ResourceSerializer serializer = new ResourceSerializer();
        List<VirtualHost> hosts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            hosts.add(VirtualHost.newBuilder().setName("h" + i).addDomains("h" + i + ".example.com").build());
        }
        RouteConfiguration before = table(hosts);
        assertEquals(Any.pack(before), serializer.serialize(before, V3));
        hosts.set(17, hosts.get(17).toBuilder().addDomains("h17.example.org").build());
        hosts.remove(3);
        hosts.add(0, VirtualHost.newBuilder().setName("first").addDomains("first.example.com").build());
        RouteConfiguration after = table(hosts);
        Any packed = serializer.serialize(after, V3);
        assertEquals(Any.pack(after), packed);
        assertEquals(after, packed.unpack(RouteConfiguration.class));
    }

    @Test
    void fieldsOnBothSidesOfTheRepeatedOneAreKept() throws Exception {
        ResourceSerializer serializer = new ResourceSerializer();
        List<FilterChain> chains = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chains.add(FilterChain.newBuilder().setName("c" + i)
                    .setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames("h" + i + ".example.com")).build());
        }
        Listener listener = Listener.newBuilder().setName("ingress_https") // field 1, below filter_chains (3)
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(8443)))
                .addAllFilterChains(chains)
                .setPerConnectionBufferLimitBytes(UInt32Value.of(32768)) // field 5, above it
                .setDefaultFilterChain(chains.get(0)) // field 25
                .build();
        Any packed = serializer.serialize(listener, V3);
        assertEquals(Any.pack(listener), packed);
        assertEquals(listener, packed.unpack(Listener.class));
    }

    @Test
    void theSameMessageIsPackedOnceForEveryStream() {
        ResourceSerializer serializer = new ResourceSerializer();
        RouteConfiguration table = table(List.of(VirtualHost.newBuilder().setName("a").addDomains("a.example.com").build(),
                VirtualHost.newBuilder().setName("b").addDomains("b.example.com").build()));
        Any first = serializer.serialize(table, V3);
        assertSame(first, serializer.serialize(table, V3));
        // An equal message that is another instance is packed on its own (instances, not content, are the keys).
        RouteConfiguration equal = table.toBuilder().build();
        assertEquals(first, serializer.serialize(equal, V3));
        assertTrue(serializer.serialize(equal, V3) == serializer.serialize(equal, V3));
    }

    private static RouteConfiguration table(List<VirtualHost> hosts) {
        return RouteConfiguration.newBuilder().setName("ingress_http") // field 1, below virtual_hosts (2)
                .addAllVirtualHosts(hosts)
                .addResponseHeadersToAdd(HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey("x-a").setValue("1")))
                .setValidateClusters(BoolValue.of(false)) // field 7, above it
                .build();
    }

    private static Stream<Message> all(XdsResources r) {
        return Stream.of(r.listeners(), r.grpcListeners(), r.routes(), r.clusters(), r.endpoints(), r.secrets())
                .flatMap(List::stream).map(Message.class::cast);
    }
}
