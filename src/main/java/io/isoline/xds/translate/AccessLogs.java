package io.isoline.xds.translate;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Access logs of Envoy's ingress listeners, to Envoy's stdout (the container log): Envoy's default
 * text line, or one JSON object per request with named fields, for log pipelines. No request or
 * response header is logged but the ones named here (no Authorization, no Cookie).
 */
public final class AccessLogs {

    static final String STDOUT = "envoy.access_loggers.stdout";

    /** HTTP: what a platform engineer looks for first when a tenant says "it returns 503". */
    static final Map<String, String> HTTP_FIELDS = fields(
            "start_time", "%START_TIME%", "authority", "%REQ(:AUTHORITY)%", "method", "%REQ(:METHOD)%",
            "path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%", "protocol", "%PROTOCOL%", "response_code", "%RESPONSE_CODE%",
            "response_flags", "%RESPONSE_FLAGS%", "bytes_received", "%BYTES_RECEIVED%", "bytes_sent", "%BYTES_SENT%",
            "duration_ms", "%DURATION%", "upstream_service_time", "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%",
            "upstream_cluster", "%UPSTREAM_CLUSTER%", "upstream_host", "%UPSTREAM_HOST%",
            "downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%", "x_forwarded_for", "%REQ(X-FORWARDED-FOR)%",
            "user_agent", "%REQ(USER-AGENT)%", "request_id", "%REQ(X-REQUEST-ID)%");

    /** TCP proxying (TLS passthrough): connections, not requests. */
    static final Map<String, String> TCP_FIELDS = fields(
            "start_time", "%START_TIME%", "requested_server_name", "%REQUESTED_SERVER_NAME%", "response_flags", "%RESPONSE_FLAGS%",
            "bytes_received", "%BYTES_RECEIVED%", "bytes_sent", "%BYTES_SENT%", "duration_ms", "%DURATION%",
            "upstream_cluster", "%UPSTREAM_CLUSTER%", "upstream_host", "%UPSTREAM_HOST%",
            "downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%");

    private AccessLogs() {
    }

    /** The access log for one filter ({@code http}: an HTTP connection manager, else a TCP proxy), or none. */
    static Optional<AccessLog> of(EdgeOptions.AccessLogFormat format, boolean http) {
        if (format == EdgeOptions.AccessLogFormat.OFF) {
            return Optional.empty();
        }
        StdoutAccessLog.Builder stdout = StdoutAccessLog.newBuilder();
        if (format == EdgeOptions.AccessLogFormat.JSON) {
            Struct.Builder json = Struct.newBuilder();
            (http ? HTTP_FIELDS : TCP_FIELDS).forEach((k, v) -> json.putFields(k, Value.newBuilder().setStringValue(v).build()));
            stdout.setLogFormat(SubstitutionFormatString.newBuilder().setJsonFormat(json));
        }
        return Optional.of(AccessLog.newBuilder().setName(STDOUT).setTypedConfig(Any.pack(stdout.build())).build());
    }

    private static Map<String, String> fields(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
