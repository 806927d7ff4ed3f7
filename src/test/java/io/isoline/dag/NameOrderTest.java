package io.isoline.dag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Reusing the last order gives the names' sorted order whatever changed: a name added, removed or swapped for another. */
class NameOrderTest {

    @Test
    void theOrderIsTheSortedOneAfterEveryRandomChange() {
        Random random = new Random(5);
        NameOrder order = new NameOrder();
        Map<String, Integer> parts = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            parts.put("team-" + random.nextInt(1000) + "/app/80", i);
        }
        for (int step = 0; step < 300; step++) {
            List<String> names = List.copyOf(parts.keySet());
            String some = names.get(random.nextInt(names.size()));
            switch (random.nextInt(4)) {
                case 0 -> parts.remove(some);
                case 1 -> parts.put("team-" + random.nextInt(1000) + "/api/80", step);
                case 2 -> { // as many names, one of them another
                    parts.remove(some);
                    parts.put("other-" + step, step);
                }
                default -> parts.put(some, step); // same names, another value
            }
            assertThat(order.of(parts)).as("step %d", step).isEqualTo(List.copyOf(new TreeMap<>(parts).values()));
        }
    }
}
