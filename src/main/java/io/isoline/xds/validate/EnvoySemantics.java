package io.isoline.xds.validate;

import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.List;
import java.util.Set;

/**
 * Checks Envoy makes on receipt beyond protoc-gen-validate's rules, where Isoline could produce
 * what they refuse; a value that breaks one makes Envoy reject the whole resource (a route table
 * shared by every tenant):
 * <ul>
 * <li>every {@code google.protobuf.Duration} is non-negative and within protobuf's range (Envoy
 * refuses the rest wherever it reads a duration);
 * <li>the weights of a route's weighted clusters sum to at most 2^32-1.
 * </ul>
 * Pure; thread-safe.
 */
final class EnvoySemantics {

    /** protobuf's largest Duration: 10,000 years. */
    static final long MAX_DURATION_SECONDS = 315_576_000_000L;
    static final long MAX_WEIGHT_SUM = 4_294_967_295L;
    private static final Set<String> CHECKED = Set.of(Duration.getDescriptor().getFullName(),
            WeightedCluster.getDescriptor().getFullName());

    private EnvoySemantics() {
    }

    /** Whether messages of this type have checks here (so the walk must reach them). */
    static boolean checks(String fullName) {
        return CHECKED.contains(fullName);
    }

    /** Adds {@code "path: problem"} for each check {@code m} fails. */
    static void check(Message m, Object path, List<String> out) {
        if (m instanceof Duration d) {
            if (d.getSeconds() < 0 || d.getNanos() < 0 || d.getSeconds() > MAX_DURATION_SECONDS || d.getNanos() > 999_999_999) {
                out.add(path + ": must be a duration from 0 to " + MAX_DURATION_SECONDS + " seconds");
            }
        } else if (m instanceof WeightedCluster w) {
            long sum = w.getClustersList().stream().mapToLong(c -> Integer.toUnsignedLong(c.getWeight().getValue())).sum();
            if (sum > MAX_WEIGHT_SUM) {
                out.add(path + ": the weights sum to " + sum + ", more than " + MAX_WEIGHT_SUM);
            }
        }
    }
}
