package io.isoline.xds.validate;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every message type Isoline packs in an {@code Any} (filters, transport sockets, protocol options):
 * the types {@code translate} prints with their fields and {@link ProtoConstraints} unpacks to check.
 */
public final class EnvoyTypes {

    /** The default instance of each type. */
    public static final List<Message> ALL = List.of(
            HttpConnectionManager.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDefaultInstance(),
            Router.getDefaultInstance(),
            TlsInspector.getDefaultInstance(),
            DownstreamTlsContext.getDefaultInstance(),
            UpstreamTlsContext.getDefaultInstance(),
            HttpProtocolOptions.getDefaultInstance(),
            TcpProxy.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.filters.http.lua.v3.LuaPerRoute.getDefaultInstance(),
            io.envoyproxy.envoy.config.route.v3.FilterConfig.getDefaultInstance(),
            io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig.getDefaultInstance());

    private static final Map<String, Message> BY_URL = ALL.stream().collect(Collectors.toUnmodifiableMap(
            m -> "type.googleapis.com/" + m.getDescriptorForType().getFullName(), Function.identity()));

    private EnvoyTypes() {
    }

    /** The type an {@code Any} with this URL holds, or null when it is not one of ours. */
    public static Message forTypeUrl(String typeUrl) {
        return BY_URL.get(typeUrl);
    }
}
