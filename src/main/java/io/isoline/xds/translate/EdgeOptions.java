package io.isoline.xds.translate;

import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.HeadersWithUnderscoresAction;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.PathWithEscapedSlashesAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * How every HTTP connection manager treats clients, from Envoy's edge best practices. A zero
 * duration turns that timeout off.
 *
 * @param mergeSlashes              {@code //a//b} routes as {@code /a/b}
 * @param escapedSlashes            what to do with {@code %2F} and {@code %5C} in paths
 * @param headersWithUnderscores    what to do with a request header whose name has {@code _}
 * @param requestHeadersTimeout     a client must send its whole request headers within this
 * @param streamIdleTimeout         a stream with no activity for this long is reset
 * @param connectionIdleTimeout     a connection with no streams for this long is closed
 * @param http2MaxConcurrentStreams most concurrent streams one HTTP/2 client connection may open
 * @param accessLog                 access logs of the ingress listeners to Envoy's stdout ({@link AccessLogs})
 */
public record EdgeOptions(boolean mergeSlashes, EscapedSlashes escapedSlashes, Underscores headersWithUnderscores,
        Duration requestHeadersTimeout, Duration streamIdleTimeout, Duration connectionIdleTimeout,
        int http2MaxConcurrentStreams, AccessLogFormat accessLog) {

    public static final EdgeOptions DEFAULT = new EdgeOptions(true, EscapedSlashes.KEEP, Underscores.DROP,
            Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofHours(1), 100, AccessLogFormat.TEXT);

    /** Access log lines: none, Envoy's default text format, or one JSON object per request or connection. */
    public enum AccessLogFormat {
        OFF, TEXT, JSON
    }

    public EdgeOptions {
        for (Duration d : new Duration[] {requestHeadersTimeout, streamIdleTimeout, connectionIdleTimeout}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a timeout cannot be negative: " + d);
            }
        }
        if (http2MaxConcurrentStreams < 1) {
            throw new IllegalArgumentException("HTTP/2 concurrent streams must be at least 1");
        }
    }

    /** An option's value as written: the constant's name in lower case, dashed ({@code unescape-and-redirect}). */
    public static String optionValue(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} written {@code text} ({@link #optionValue}), if any. */
    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        return Arrays.stream(type.getEnumConstants()).filter(v -> optionValue(v).equals(text)).findFirst();
    }

    /** Paths with an escaped slash ({@code %2F}, {@code %5C}). */
    public enum EscapedSlashes {
        /** Routed and forwarded as sent (Envoy's and Contour's default; NGINX does the same). */
        KEEP(PathWithEscapedSlashesAction.KEEP_UNCHANGED),
        /** 400 Bad Request: for APIs whose clients send normalized paths (gRPC). */
        REJECT(PathWithEscapedSlashesAction.REJECT_REQUEST),
        /** Unescaped, and the client redirected to the unescaped path (browsers follow it). */
        UNESCAPE_AND_REDIRECT(PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT),
        /** Unescaped before routing and forwarded so. */
        UNESCAPE_AND_FORWARD(PathWithEscapedSlashesAction.UNESCAPE_AND_FORWARD);

        final PathWithEscapedSlashesAction envoy;

        EscapedSlashes(PathWithEscapedSlashesAction envoy) {
            this.envoy = envoy;
        }
    }

    /** Request headers with an underscore in their name. */
    public enum Underscores {
        /** Forwarded (Envoy's default). */
        ALLOW(HeadersWithUnderscoresAction.ALLOW),
        /** Removed before routing (NGINX's default): an upstream that reads {@code x_user} as {@code x-user} never sees a forged one. */
        DROP(HeadersWithUnderscoresAction.DROP_HEADER),
        /** The request is answered 400 (Envoy's edge recommendation). */
        REJECT(HeadersWithUnderscoresAction.REJECT_REQUEST);

        final HeadersWithUnderscoresAction envoy;

        Underscores(HeadersWithUnderscoresAction envoy) {
            this.envoy = envoy;
        }
    }
}
