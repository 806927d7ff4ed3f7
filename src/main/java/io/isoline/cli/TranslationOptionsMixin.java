package io.isoline.cli;

import io.isoline.dag.DagOptions;
import io.isoline.dag.GoDuration;
import io.isoline.dag.TlsVersion;
import io.isoline.text.LogText;
import io.isoline.xds.translate.EdgeOptions;
import io.isoline.xds.translate.ListenerOptions;
import io.isoline.xds.translate.TranslateOptions;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options that change translation. {@code serve} and {@code translate} both mix this in, so they
 * take the same names and give the same output for the same objects.
 */
public class TranslationOptionsMixin {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--ingress-class-name", paramLabel = "NAME",
            description = "Serve only objects of this ingress class. Default: objects with no class, class 'isoline', "
                    + "and IngressClasses naming isoline.io/ingress-controller.")
    String ingressClassName;

    @Option(names = "--serve-contour-class", description = "With no --ingress-class-name: also serve Contour's class "
            + "('contour', and IngressClasses naming projectcontour.io/ingress-controller), to replace Contour in place. "
            + "Off by default, so Isoline running beside Contour takes none of its objects.")
    boolean contourClass;

    @Option(names = {"--envoy-address", "--envoy-service-http-address", "--envoy-service-https-address"}, defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
            description = "Address Envoy's listeners bind. Default: ${DEFAULT-VALUE}.")
    String envoyAddress;

    @Option(names = {"--envoy-http-port", "--envoy-service-http-port"}, defaultValue = "8080", paramLabel = "PORT",
            description = "Port of the ingress_http listener. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = {"--envoy-https-port", "--envoy-service-https-port"}, defaultValue = "8443", paramLabel = "PORT",
            description = "Port of the ingress_https listener. Default: ${DEFAULT-VALUE}.")
    int httpsPort;

    @Option(names = {"--root-namespaces", "--ingressroute-root-namespaces"}, split = ",", paramLabel = "NS[,NS...]",
            description = "Namespaces where root IngressRoutes (those with a virtualhost) may live. Default: any.")
    java.util.Set<String> rootNamespaces = new java.util.TreeSet<>();

    @Option(names = "--ingress-routes-on-root-hosts", description = "Let Ingresses add routes to hosts that root "
            + "IngressRoutes own (never their certificates). Unsafe where teams share the cluster. Default: off.")
    boolean ingressRoutesOnRootHosts;

    @Option(names = "--enable-external-name-service", description = "Let ExternalName Services be backends (Envoy resolves "
            + "the name). Whoever may create a Service can then send Envoy to any public name, including one that "
            + "resolves to Envoy's own loopback; loopback, IP, pod and other namespaces' Service names are refused. Default: off.")
    boolean externalNameServices;

    @Option(names = "--disable-permit-insecure", description = "Ignore IngressRoutes' permitInsecure: on a TLS host every "
            + "route redirects plain HTTP to HTTPS (Contour's flag). Default: off.")
    boolean disablePermitInsecure;

    @Option(names = "--conflicting-roots", defaultValue = "oldest", paramLabel = "RULE",
            description = "Roots (HTTPProxy, IngressRoute) claiming the same fqdn: oldest (the oldest keeps it, the others are "
                    + "invalid) or none (all invalid, none served: Contour's rule, which lets whoever may create a root take a "
                    + "host offline). Default: ${DEFAULT-VALUE}.")
    String conflictingRoots;

    @Option(names = "--fallback-certificate", paramLabel = "NAMESPACE/NAME",
            description = "A kubernetes.io/tls Secret served to TLS clients that send no SNI name (or one no host has), for "
                    + "the HTTPProxies that set tls.enableFallbackCertificate; it must be delegated to their namespaces. Default: none.")
    String fallbackCertificate;

    @Option(names = "--tls-minimum-protocol-version", defaultValue = "1.2", paramLabel = "VERSION",
            description = "Minimum TLS version where an object asks for none: 1.2 or 1.3. Default: ${DEFAULT-VALUE}.")
    String tlsMinimum;

    @Option(names = "--merge-slashes", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Route '//a//b' as '/a/b' (--no-merge-slashes: route it as sent). Default: on.")
    boolean mergeSlashes;

    @Option(names = "--escaped-slashes", defaultValue = "keep", paramLabel = "ACTION",
            description = "Paths with %%2F or %%5C: keep, reject (400), unescape-and-redirect, unescape-and-forward. "
                    + "Default: ${DEFAULT-VALUE}.")
    String escapedSlashes;

    @Option(names = "--access-log", defaultValue = "text", paramLabel = "FORMAT",
            description = "Envoy's access logs to its stdout: off, text (Envoy's default line), json (one object per request). "
                    + "Default: ${DEFAULT-VALUE}.")
    String accessLog;

    @Option(names = "--headers-with-underscores", defaultValue = "drop", paramLabel = "ACTION",
            description = "Request headers with '_' in their name: allow, drop, reject (400). Default: ${DEFAULT-VALUE}.")
    String underscores;

    @Option(names = "--request-headers-timeout", defaultValue = "10s", paramLabel = "DURATION",
            description = "A client must send its request headers within this (0s: no limit). Default: ${DEFAULT-VALUE}.")
    String requestHeadersTimeout;

    @Option(names = "--stream-idle-timeout", defaultValue = "5m", paramLabel = "DURATION",
            description = "Reset a request stream idle this long (0s: never). Default: ${DEFAULT-VALUE}.")
    String streamIdleTimeout;

    @Option(names = "--connection-idle-timeout", defaultValue = "1h", paramLabel = "DURATION",
            description = "Close a client connection with no request for this long (0s: never). Default: ${DEFAULT-VALUE}.")
    String connectionIdleTimeout;

    @Option(names = "--http2-max-concurrent-streams", defaultValue = "100", paramLabel = "N",
            description = "Most concurrent streams on one HTTP/2 client connection. Default: ${DEFAULT-VALUE}.")
    int http2MaxStreams;

    /** The options as the core takes them; bad values are a usage error naming the option. */
    public TranslateOptions toOptions() {
        TlsVersion tls = TlsVersion.parse(tlsMinimum).orElseThrow(() -> usage(
                "--tls-minimum-protocol-version must be 1.2 or 1.3, not '" + tlsMinimum + "'"));
        checkPort("--envoy-http-port", httpPort);
        checkPort("--envoy-https-port", httpsPort);
        if (contourClass && ingressClassName != null && !ingressClassName.isBlank()) {
            throw usage("--serve-contour-class applies only without --ingress-class-name (which serves that one class)");
        }
        if (http2MaxStreams < 1) {
            throw usage("--http2-max-concurrent-streams must be at least 1, not " + http2MaxStreams);
        }
        EdgeOptions edge = new EdgeOptions(mergeSlashes,
                choice("--escaped-slashes", EdgeOptions.EscapedSlashes.class, escapedSlashes),
                choice("--headers-with-underscores", EdgeOptions.Underscores.class, underscores),
                duration("--request-headers-timeout", requestHeadersTimeout),
                duration("--stream-idle-timeout", streamIdleTimeout),
                duration("--connection-idle-timeout", connectionIdleTimeout), http2MaxStreams,
                choice("--access-log", EdgeOptions.AccessLogFormat.class, accessLog));
        if (!conflictingRoots.equals("oldest") && !conflictingRoots.equals("none")) {
            throw usage("--conflicting-roots must be oldest or none, not '" + LogText.escape(conflictingRoots, 64) + "'");
        }
        if (fallbackCertificate != null && !fallbackCertificate.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?")) {
            throw usage("--fallback-certificate must be namespace/name, not '" + LogText.escape(fallbackCertificate, 64) + "'");
        }
        return new TranslateOptions(new DagOptions(ingressClassName, tls, rootNamespaces, ingressRoutesOnRootHosts, contourClass,
                externalNameServices, disablePermitInsecure, fallbackCertificate, "none".equals(conflictingRoots)),
                new ListenerOptions(envoyAddress, httpPort, httpsPort, edge));
    }

    private <E extends Enum<E>> E choice(String option, Class<E> type, String text) {
        return EdgeOptions.parse(type, text).orElseThrow(() -> usage(option + " must be one of "
                + java.util.Arrays.stream(type.getEnumConstants()).map(EdgeOptions::optionValue).toList() + ", not '"
                + LogText.escape(text, 64) + "'"));
    }

    /** A Go-style duration ({@code 10s}, {@code 1m30s}); {@code 0s} turns the timeout off. */
    private java.time.Duration duration(String option, String text) {
        return GoDuration.parse(text).orElseThrow(() -> usage(option + " must be a duration such as 10s, 5m or 1h "
                + "(0s for none), not '" + LogText.escape(text, 64) + "'"));
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw usage(option + " must be 1-65535, not " + port);
        }
    }
}
