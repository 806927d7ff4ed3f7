package io.isoline.envoy;

import io.isoline.testing.EnvoyClient;
import io.isoline.testing.EnvoyProcess;
import io.isoline.testing.EnvoyStack;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * What the real-Envoy feature tests share: Vert.x for backends and clients, one {@link EnvoyStack}
 * per test class, and a client. Subclasses start backends on {@link #vertx} in a
 * {@code @BeforeAll}, write their manifests, then call {@link #startStack}. Stopping checks that
 * Envoy rejected no update.
 */
abstract class RealEnvoyTier {

    static Vertx vertx;
    static EnvoyStack stack;
    static EnvoyClient client;

    /** Vert.x for the backends; skips (fails in CI) when there is no Envoy. */
    static Vertx vertx() throws Exception {
        EnvoyProcess.require();
        vertx = Vertx.vertx();
        return vertx;
    }

    static void startStack(Path dir, Path manifests, String... serveArgs) throws Exception {
        stack = EnvoyStack.start(dir, manifests, serveArgs);
        client = new EnvoyClient(vertx);
    }

    @AfterAll
    static void stopStack() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            if (stack != null) {
                stack.close();
            }
        } finally {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get();
            }
            client = null;
            stack = null;
            vertx = null;
        }
    }

    /** The backend that answered a plain HTTP GET, or the status when Envoy answered itself. */
    static String via(String host, String path) throws Exception {
        return client.get(stack.httpPort, host, path).backend();
    }
}
