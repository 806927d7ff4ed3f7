package io.isoline.xds.translate;

/**
 * Where Envoy listens, and how. Names follow Contour: {@code ingress_http} and {@code ingress_https}.
 *
 * @param address   the address both listeners bind, e.g. {@code 0.0.0.0}
 * @param httpPort  the plain-HTTP listener's port (Contour's default: 8080)
 * @param httpsPort the TLS listener's port (Contour's default: 8443)
 * @param edge      how their HTTP connection managers treat clients
 */
public record ListenerOptions(String address, int httpPort, int httpsPort, EdgeOptions edge) {

    public static final ListenerOptions DEFAULT = new ListenerOptions("0.0.0.0", 8080, 8443);

    /** Listeners on these ports with the default edge settings. */
    public ListenerOptions(String address, int httpPort, int httpsPort) {
        this(address, httpPort, httpsPort, EdgeOptions.DEFAULT);
    }
}
