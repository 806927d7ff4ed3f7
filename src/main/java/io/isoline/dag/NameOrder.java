package io.isoline.dag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A map's values in the order of their names (the keys), reusing the previous call's order when the
 * names are the same ones: one look-up per name instead of a sort (comparing names costs cache
 * misses at 10,000 clusters, and most builds change no cluster names). The order depends on the
 * names alone, so reuse never changes the result.
 *
 * <p>Not thread-safe: one build at a time (kept in the {@link DagCache}).
 */
final class NameOrder {

    private String[] last = new String[0];

    /** A hash map sized for as many entries as the last call had names. */
    <T> Map<String, T> newMap() {
        return new HashMap<>(Math.max(16, last.length * 4 / 3 + 1));
    }

    /** {@code parts}' values in name order. */
    <T> List<T> of(Map<String, T> parts) {
        List<String> names = names(parts);
        List<T> values = new ArrayList<>(names.size());
        for (String name : names) {
            values.add(parts.get(name));
        }
        return List.copyOf(values);
    }

    /** {@code parts}' names (keys), sorted. */
    List<String> names(Map<String, ?> parts) {
        if (last.length == parts.size() && Arrays.stream(last).allMatch(parts::containsKey)) {
            return Collections.unmodifiableList(Arrays.asList(last)); // as many names, all known: the same names
        }
        String[] names = parts.keySet().toArray(new String[0]);
        Arrays.sort(names);
        last = names;
        return Collections.unmodifiableList(Arrays.asList(names));
    }
}
