package io.isoline.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which xDS streams still owe a reply, as the publisher sees them between transition steps. */
class StreamProgressTest {

    private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
    private static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
    private final StreamProgress progress = new StreamProgress();

    private void send(long stream, String type, String nonce) {
        progress.onV3StreamResponse(stream, DiscoveryRequest.getDefaultInstance(),
                DiscoveryResponse.newBuilder().setTypeUrl(type).setNonce(nonce).build());
    }

    private void reply(long stream, String type, String nonce) {
        progress.onV3StreamRequest(stream, DiscoveryRequest.newBuilder().setTypeUrl(type).setResponseNonce(nonce).build());
    }

    @Test
    void aStreamIsBehindUntilItRepliesAndAfterClustersUntilEndpointsFollow() {
        send(1, EDS, "e1");
        reply(1, EDS, "e1");
        long mark = progress.now();
        assertThat(progress.behind(mark)).isEmpty();
        send(1, CDS, "c1");
        assertThat(progress.behind(mark)).containsExactly(1L);
        reply(1, CDS, "c1");
        assertThat(progress.behind(mark)).as("clusters warm until their endpoints arrive").containsExactly(1L);
        send(1, EDS, "e2");
        assertThat(progress.behind(mark)).containsExactly(1L);
        reply(1, EDS, "e2");
        assertThat(progress.behind(mark)).isEmpty();
        progress.onStreamClose(1, "");
        send(2, CDS, "x");
        progress.onStreamClose(2, "");
        assertThat(progress.behind(progress.now())).as("closed streams are forgotten").isEmpty();
    }

    @Test
    void aStreamThatNeverRepliesDelaysOneWaitNotEvery() throws Exception {
        send(7, CDS, "c1");
        assertThat(progress.awaitReplies(progress.now(), Duration.ofMillis(50))).isFalse();
        long start = System.nanoTime();
        assertThat(progress.awaitReplies(progress.now(), Duration.ofSeconds(10))).as("no longer waited for").isTrue();
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
        // Once it catches up it counts again.
        reply(7, CDS, "c1");
        assertThat(progress.awaitReplies(progress.now(), Duration.ofMillis(50))).isTrue();
        send(7, CDS, "c2");
        assertThat(progress.awaitReplies(progress.now(), Duration.ofMillis(50))).isFalse();
    }
}
