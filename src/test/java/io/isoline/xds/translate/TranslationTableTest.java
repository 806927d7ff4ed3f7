package io.isoline.xds.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link TranslationMemo.Table}: a translation makes messages only for parts it has not seen (by
 * position, instance or value), gives the very same message for a part seen before, and keeps no
 * more than it uses plus a bounded remainder however many translations run.
 */
class TranslationTableTest {

    /** A Dag part: equal by value, distinct by instance. */
    private record Part(String name, int version) {
    }

    private final AtomicInteger made = new AtomicInteger();
    private final Function<Part, Cluster> translate = p -> {
        made.incrementAndGet();
        return Cluster.newBuilder().setName(p.name() + "/" + p.version()).build();
    };

    @Test
    void onlyNewPartsAreTranslatedAndSeenOnesGiveTheSameMessage() {
        TranslationMemo.Table<Part, Cluster> table = new TranslationMemo.Table<>();
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            parts.add(new Part("c" + i, 0));
        }
        List<Cluster> first = table.all(parts, translate);
        assertEquals(500, made.get());

        // In place: one part replaced, one new instance of an unchanged part.
        parts.set(7, new Part("c7", 1));
        parts.set(9, new Part("c9", 0));
        table.next(true);
        List<Cluster> second = table.all(parts, translate);
        assertEquals(501, made.get(), "c7's new version; c9 by value, the rest by position");
        assertEquals("c7/1", second.get(7).getName());
        assertSame(first.get(9), second.get(9));
        assertSame(first.get(8), second.get(8));

        // Shifted by one: every part found by instance.
        parts.add(0, new Part("c-new", 0));
        table.next(true);
        List<Cluster> third = table.all(parts, translate);
        assertEquals(502, made.get(), "c-new alone");
        assertSame(second.get(7), third.get(8));
        assertSame(first.get(499), third.get(500));
    }

    @Test
    void aTableStaysWithinWhatItUsesPlusAnEighthAcrossManyChanges() {
        TranslationMemo.Table<Part, Cluster> table = new TranslationMemo.Table<>();
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            parts.add(new Part("c" + i, 0));
        }
        int most = 0;
        for (int round = 1; round <= 2000; round++) {
            table.all(parts, translate);
            table.next(true);
            most = Math.max(most, table.size());
            parts.set(round % parts.size(), new Part("c" + (round % parts.size()), round));
        }
        assertTrue(most <= 1000 + 1000 / 8 + 1, "at most " + most + " kept for 1,000 in use");
        assertEquals(1000 + 2000 - 1, made.get(), "one translation per change");
    }
}
