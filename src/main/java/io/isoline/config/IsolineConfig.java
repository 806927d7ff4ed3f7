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

    Rebuild rebuild();

    Status status();

    LeaderElection leaderElection();

    Readiness readiness();

    Management management();

    Log log();

    /** Logging: Quarkus' console log is set from these ({@code quarkus.log.console.json.enabled}). */
    interface Log {
        /** One JSON object per log line instead of text. */
        @WithDefault("false")
        boolean json();
    }

    /**
     * Where health ({@code /q/health}) and metrics ({@code /q/metrics}) are served: Quarkus'
     * management interface is set from these, apart from the xDS port.
     */
    interface Management {
        @WithDefault("127.0.0.1")
        String address();

        @WithDefault("9000")
        int port();
    }

    /** When {@code /q/health/ready} turns DOWN in Kubernetes mode. */
    interface Readiness {
        /**
         * How long an informer may be without its watch before the replica is not ready: long
         * enough for a routine reconnect (API servers end watches every few minutes), short enough
         * that Envoys move to a replica that follows the cluster.
         */
        @WithDefault("30s")
        Duration watchGrace();
    }

    /** Where Ingress {@code status.loadBalancer} comes from; neither set = Ingress status is left alone. */
    interface Status {
        /** {@code namespace/name} of Envoy's Service: its load-balancer addresses are copied to served Ingresses. */
        java.util.Optional<String> envoyService();

        /** A fixed address (IP or hostname) for served Ingresses, used when no Envoy Service is set. */
        java.util.Optional<String> address();
    }

    /** Only the leader writes status; every replica serves xDS. */
    interface LeaderElection {
        @WithDefault("true")
        boolean enabled();

        /** Namespace of the Lease (in a pod: set it to the pod's namespace). */
        @WithDefault("default")
        String namespace();

        @WithDefault("isoline-leader")
        String leaseName();

        /** This replica's name in the Lease; defaults to the host name. */
        java.util.Optional<String> identity();
    }

    /**
     * When a change is published: at once on a quiet system; under a burst (a rebuild running, or
     * one started less than {@code holdoff} ago) after the state has been quiet for {@code holdoff},
     * coalescing the burst into one rebuild, and never later than {@code maxDelay} after the first
     * change waiting, however long the burst lasts.
     */
    interface Rebuild {
        @WithDefault("100ms")
        Duration holdoff();

        @WithDefault("1s")
        Duration maxDelay();
    }

    /** Where the xDS gRPC server listens (Quarkus' HTTP server is set from these). */
    interface Xds {
        @WithDefault("127.0.0.1")
        String address();

        @WithDefault("8001")
        int port();

        /**
         * Whether xDS clients must present a certificate that the trust store
         * ({@code quarkus.tls.trust-store.*}) verifies: {@code false} by default; with TLS on the xDS
         * port and a trust store, {@code true} makes it mutual TLS.
         */
        @WithDefault("false")
        boolean requireClientCertificate();
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
