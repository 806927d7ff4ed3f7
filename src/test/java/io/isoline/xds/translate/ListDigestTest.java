package io.isoline.xds.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A list's digest (each xDS type's version is made of one) depends on the content alone: reusing
 * the previous translation's chunks, position by position, gives what a memo that remembers nothing
 * gives, whatever was changed, added, removed or moved in between.
 */
class ListDigestTest {

    private static Cluster cluster(int i, int timeout) {
        return Cluster.newBuilder().setName("team-" + i + "/app/80")
                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeout)).build();
    }

    private static String fresh(List<Cluster> clusters) {
        return TranslationMemo.none().listDigest("clusters", clusters);
    }

    @Test
    void reusedChunksGiveTheDigestOfAFreshComputationAfterRandomEdits() {
        Random random = new Random(42);
        List<Cluster> clusters = new ArrayList<>(IntStream.range(0, 5 * TranslationMemo.CHUNK + 7).mapToObj(i -> cluster(i, 1)).toList());
        TranslationMemo memo = new TranslationMemo();
        String before = memo.listDigest("clusters", clusters);
        for (int step = 0; step < 200; step++) {
            int at = random.nextInt(clusters.size());
            switch (random.nextInt(6)) {
                case 0 -> clusters.set(at, cluster(at, 2 + step)); // changed content
                case 1 -> clusters.set(at, clusters.get(at).toBuilder().build()); // equal content, new instance
                case 2 -> clusters.add(at, cluster(1000 + step, 1));
                case 3 -> clusters.remove(at);
                case 4 -> clusters.remove(clusters.size() - 1); // every remaining message where it was
                default -> clusters.add(clusters.remove(at)); // moved to the end
            }
            memo.next(true);
            String now = memo.listDigest("clusters", clusters);
            assertThat(now).as("step %d", step).isEqualTo(fresh(clusters));
            before = now;
        }
        assertThat(before).isNotEmpty();
    }

    @Test
    void oneChangedMessageOrAnotherOrderChangesTheDigest() {
        List<Cluster> clusters = IntStream.range(0, 3 * TranslationMemo.CHUNK).mapToObj(i -> cluster(i, 1)).toList();
        TranslationMemo memo = new TranslationMemo();
        String before = memo.listDigest("clusters", clusters);
        List<Cluster> changed = new ArrayList<>(clusters);
        changed.set(TranslationMemo.CHUNK + 3, cluster(TranslationMemo.CHUNK + 3, 9));
        memo.next(true);
        assertThat(memo.listDigest("clusters", changed)).isNotEqualTo(before);

        List<Cluster> swapped = new ArrayList<>(clusters);
        java.util.Collections.swap(swapped, 0, 1); // two messages of the same chunk trade places
        assertThat(fresh(swapped)).isNotEqualTo(before);
        assertThat(fresh(clusters)).isEqualTo(before);
    }
}
