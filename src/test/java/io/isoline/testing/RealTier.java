package io.isoline.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * The rule for tests that need a real component (Envoy, Helm, a client library nobody here wrote):
 * missing in CI ({@code CI=true}) is a failure; elsewhere the test is skipped, loudly.
 */
public final class RealTier {

    private RealTier() {
    }

    /** Whether {@code what} is here; fails in CI when it is not, and says so on stderr otherwise. */
    public static boolean available(boolean present, String what) {
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI needs " + what);
            }
            System.err.println("\n*** SKIPPING (part of) the real tier: missing " + what + " ***\n");
        }
        return present;
    }

    /** Skips the calling test (fails it in CI) when {@code what} is missing. */
    public static void assume(boolean present, String what) {
        Assumptions.assumeTrue(available(present, what), "no " + what);
    }
}
