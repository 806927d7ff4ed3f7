package io.isoline.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Isoline's typed configuration ({@code isoline.*} in application.properties, or the matching
 * {@code ISOLINE_*} environment variables). The xDS server's own address and port are
 * {@code isoline.xds.address} / {@code isoline.xds.port}, which feed Quarkus' HTTP server settings.
 */
@ConfigMapping(prefix = "isoline")
public interface IsolineConfig {

    Manifests manifests();

    Xds xds();

    /** Where the xDS gRPC server listens (Quarkus' HTTP server is set from these). */
    interface Xds {
        @WithDefault("127.0.0.1")
        String address();

        @WithDefault("8001")
        int port();
    }

    /** Standalone mode: how the manifest directory is watched. */
    interface Manifests {
        /** How often the directory is checked for changed files. */
        @WithDefault("250ms")
        Duration pollInterval();

        /** How long the files must stay unchanged before they are reloaded (coalesces bursts of writes). */
        @WithDefault("500ms")
        Duration holdoff();
    }
}
