package io.isoline.xds.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.isoline.dag.Dag;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A problem no object explains (only a translator bug could make one) is reported as such, so
 * nothing is published; and remembering what was valid never hides a problem on the next check.
 */
class EnvoyGuardTest {

    private static final Dag EMPTY = new Dag(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    @Test
    void aProblemNoObjectExplainsIsUnattributedAndStaysReported() {
        Listener broken = Listener.newBuilder().setName(ListenerTranslator.HTTP_LISTENER)
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder().setName("hcm")
                        .setTypedConfig(Any.pack(HttpConnectionManager.getDefaultInstance()))))
                .build();
        XdsResources resources = XdsResources.of(List.of(broken), List.of(), List.of(), List.of(), List.of(), List.of());
        for (int check = 0; check < 2; check++) {
            EnvoyGuard.Findings findings = EnvoyGuard.check(EMPTY, resources);
            assertThat(findings.rejections()).isEmpty();
            assertThat(findings.clean()).isFalse();
            assertThat(findings.unattributed()).contains(
                    "Envoy would reject listener ingress_http: filter_chains[0].filters[0].typed_config.stat_prefix: must not be empty");
        }
        TranslationResult result = new TranslationResult(resources, List.of(), List.of(), List.of("a problem"));
        assertThat(result.publishable()).isFalse();
    }

    /** A type whose list a check found clean is skipped only while it is that very content. */
    @Test
    void aListFoundCleanIsSkippedOnlyWhileItsContentIsTheSame() {
        io.envoyproxy.envoy.config.cluster.v3.Cluster good = io.envoyproxy.envoy.config.cluster.v3.Cluster.newBuilder()
                .setName("team/app/80").setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1)).build();
        List<io.envoyproxy.envoy.config.cluster.v3.Cluster> clean = List.of(good);
        List<io.envoyproxy.envoy.config.cluster.v3.Cluster> broken = List.of(good, good.toBuilder().setName("").build());
        io.isoline.xds.validate.ValidMemo memo = io.isoline.xds.validate.ValidMemo.empty();
        for (List<io.envoyproxy.envoy.config.cluster.v3.Cluster> clusters : List.of(clean, broken, clean, broken, broken)) {
            TranslationMemo translation = new TranslationMemo();
            XdsResources r = XdsResources.of(List.of(), List.of(), clusters, List.of(), List.of(), List.of(), translation);
            EnvoyGuard.Findings findings = EnvoyGuard.check(EMPTY, r, memo.next(translation.typeDigests()));
            assertThat(findings.clean()).as(r.clustersVersion()).isEqualTo(clusters == clean);
            assertThat(findings).isEqualTo(EnvoyGuard.check(EMPTY, r));
        }
    }
}
