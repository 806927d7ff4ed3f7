package io.isoline.xds.translate;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;

/** Small pieces of Envoy configuration that several translators use. */
final class EnvoyConfig {

    static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";

    private static final ConfigSource ADS = ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();

    private EnvoyConfig() {
    }

    /** "Fetch it over the same ADS stream": every dynamic reference we emit uses this. */
    static ConfigSource ads() {
        return ADS;
    }

    static TransportSocket tlsTransportSocket(Message tlsContext) {
        return TransportSocket.newBuilder().setName(TLS_TRANSPORT_SOCKET).setTypedConfig(Any.pack(tlsContext)).build();
    }

    static com.google.protobuf.Duration duration(java.time.Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }
}
