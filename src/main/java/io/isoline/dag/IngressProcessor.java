package io.isoline.dag;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.isoline.dag.HostTable.Entry;
import io.isoline.dag.HostTable.HttpMode;
import io.isoline.dag.RouteAction.WeightedCluster;
import io.isoline.dag.RoutePolicy.RetryPolicy;
import io.isoline.k8s.Annotations;
import io.isoline.state.ObjectKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Comparator;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns Ingress (networking.k8s.io/v1) objects with Contour's annotations into routes. Objects are
 * visited in {@code namespace/name} order; each gets a status: {@code valid} when it serves at least
 * one route (its description lists anything that could not be served), {@code invalid} when it
 * serves nothing. A backend that cannot be resolved answers 503 on its path rather than letting
 * requests fall through to a shorter prefix owned by someone else.
 */
final class IngressProcessor {

    static final String API_VERSION = "networking.k8s.io/v1";
    static final String KIND = "Ingress";

    /** Envoy's HTTP {@code retry_on} conditions and gRPC status conditions. */
    static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
            "connect-failure", "envoy-ratelimited", "retriable-4xx", "refused-stream", "retriable-status-codes",
            "retriable-headers", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
            "resource-exhausted", "unavailable");

    private final BuildContext ctx;
    private final IngressClassMatcher classes;
    private String defaultBackendOwner;

    IngressProcessor(BuildContext ctx) {
        this.ctx = ctx;
        this.classes = new IngressClassMatcher(ctx.state, ctx.options);
    }

    /** When the Ingress being processed was created (null: unknown). */
    private String currentCreated;
    /** Named hosts and the first (oldest) Ingress that used them: its namespace owns the host. */
    private final Map<String, ObjectKey> hostNamespaces = new java.util.HashMap<>();

    /**
     * Processes Ingresses oldest first (creationTimestamp, then namespace/name; objects without a
     * timestamp, as in manifest files, after those with one), so a contested host, path,
     * certificate or the default backend stays with the Ingress that had it: a new Ingress in a
     * namespace that sorts first cannot take them.
     */
    void run() {
        List<Map.Entry<ObjectKey, Ingress>> oldestFirst = new ArrayList<>(ctx.state.ingresses().entrySet());
        oldestFirst.sort(Comparator.comparing((Map.Entry<ObjectKey, Ingress> e) -> BuildContext.created(e.getValue()),
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Map.Entry::getKey));
        for (Map.Entry<ObjectKey, Ingress> e : oldestFirst) {
            if (classes.serves(e.getValue())) {
                process(e.getKey(), e.getValue());
            }
        }
    }


    private void process(ObjectKey key, Ingress ingress) {
        currentCreated = BuildContext.created(ingress);
        String owner = KIND + " " + key;
        if (ctx.rejected.containsKey(owner)) {
            ctx.status(status(key, ObjectStatus.INVALID, ctx.rejected.get(owner)));
            return;
        }
        List<String> problems = new ArrayList<>();
        AnnotationReader ann = new AnnotationReader(ingress.getMetadata().getAnnotations(), owner, ctx.warnings);
        RoutePolicy policy = policy(ann);
        // Under both prefixes, the union (as Contour reads it).
        Set<String> websocketPaths = ann.contourAll(Annotations.WEBSOCKET_ROUTES).stream()
                .flatMap(v -> Arrays.stream(v.split(","))).map(String::trim).filter(p -> !p.isEmpty())
                .collect(Collectors.toSet());
        // force-ssl-redirect wins over allow-http: false (Contour 0.15+): port 80 keeps a redirect.
        boolean redirect = ann.bool(Annotations.FORCE_SSL_REDIRECT, false);
        HttpMode http = redirect ? HttpMode.REDIRECT : ann.bool(Annotations.ALLOW_HTTP, true) ? HttpMode.SERVE : HttpMode.NONE;
        var spec = ingress.getSpec();
        if (spec == null) {
            ctx.status(status(key, ObjectStatus.INVALID, "spec is missing"));
            return;
        }
        bindTls(key, owner, EndpointIndex.nullSafe(spec.getTls()), ann, problems);
        int served = 0;
        for (IngressRule rule : EndpointIndex.nullSafe(spec.getRules())) {
            String host = rule.getHost() == null || rule.getHost().isEmpty()
                    ? VirtualHost.DEFAULT_HOST : rule.getHost().toLowerCase(Locale.ROOT);
            if (host.indexOf('*', 1) >= 0 || (host.startsWith("*") && !host.startsWith("*.") && host.length() > 1)) {
                problems.add("spec.rules host \"" + host + "\": a wildcard must be the whole first label, as in *.example.com");
                continue;
            }
            if (!host.equals(VirtualHost.DEFAULT_HOST) && Names.hostProblem(host) != null) {
                problems.add("spec.rules host \"" + host + "\" " + Names.hostProblem(host));
                continue;
            }
            if (rule.getHttp() == null) {
                continue;
            }
            if (!ctx.options.ingressRoutesOnRootHosts() && rootOwns(host, key)) {
                problems.add(ownedByRoot(host));
                continue;
            }
            String other = otherNamespaceOwner(host, key);
            if (other != null) {
                problems.add(other);
                continue;
            }
            for (HTTPIngressPath path : EndpointIndex.nullSafe(rule.getHttp().getPaths())) {
                PathMatch match = match(path, host, problems);
                if (match == null) {
                    continue;
                }
                RoutePolicy routePolicy = websocketPaths.contains(match.path())
                        ? policy.withWebsocket(true) : policy;
                RouteAction action = action(key, path.getBackend(), routePolicy, "host " + host + " path " + match.path(), problems);
                String taken = ctx.hosts.add(host, new Entry(match, action, owner, http, false));
                if (taken != null) {
                    problems.add("host " + host + " path " + match.path() + " is already served by " + taken);
                } else {
                    served++;
                }
            }
        }
        if (spec.getDefaultBackend() != null) {
            if (defaultBackendOwner != null) {
                problems.add("spec.defaultBackend ignored: the default backend is already set by " + defaultBackendOwner);
            } else {
                defaultBackendOwner = owner;
                RouteAction action = action(key, spec.getDefaultBackend(), policy, "spec.defaultBackend", problems);
                ctx.hosts.add(VirtualHost.DEFAULT_HOST,
                        new Entry(new PathMatch.SegmentPrefix("/"), action, owner, http, true));
                served++;
            }
        }
        String state = served > 0 ? ObjectStatus.VALID : ObjectStatus.INVALID;
        String description = problems.isEmpty() ? "valid Ingress"
                : (served > 0 ? "served with problems: " : "nothing served: ") + String.join("; ", problems);
        if (problems.isEmpty() && served == 0) {
            description = "nothing served: the Ingress has no rules with paths and no default backend";
        }
        for (String note : ann.unsupportedContour(Annotations.INGRESS_SUPPORTED, "is not one Isoline supports")) {
            description += "; " + note;
        }
        ctx.status(status(key, state, description));
    }

    private void bindTls(ObjectKey key, String owner, List<IngressTLS> tlsList, AnnotationReader ann, List<String> problems) {
        if (tlsList.isEmpty()) {
            return;
        }
        TlsVersion min = ann.contour(Annotations.TLS_MINIMUM_PROTOCOL_VERSION).map(v -> {
            var parsed = TlsVersion.parse(v);
            if (parsed.isEmpty()) {
                ann.warn(Annotations.TLS_MINIMUM_PROTOCOL_VERSION, v, "is not 1.2 or 1.3; the default applies");
            }
            return ctx.minimumTls(parsed);
        }).orElse(ctx.options.minimumTlsVersion());
        for (int i = 0; i < tlsList.size(); i++) {
            IngressTLS tls = tlsList.get(i);
            String field = "spec.tls[" + i + "]";
            if (tls.getSecretName() == null || tls.getSecretName().isEmpty()) {
                problems.add(field + ".secretName is empty");
                continue;
            }
            // Contour: "ns/name", else the tls-cert-namespace annotation's namespace, else the Ingress's.
            ObjectKey secretKey = ObjectKey.parse(tls.getSecretName(), ann.contour(Annotations.TLS_CERT_NAMESPACE)
                    .map(String::trim).filter(n -> !n.isEmpty()).orElse(key.namespace()));
            var validation = ctx.secrets.validateFor(secretKey, key.namespace());
            if (validation.secret() == null) {
                problems.add(field + ": " + validation.error() + "; its hosts are not served over TLS");
                continue;
            }
            for (String host : EndpointIndex.nullSafe(tls.getHosts())) {
                String h = host.toLowerCase(Locale.ROOT);
                if (rootOwns(h, key)) {
                    problems.add(field + ": " + ownedByRoot(h));
                    continue;
                }
                String foreign = otherNamespaceOwner(h, key);
                if (foreign != null) {
                    problems.add(field + ": " + foreign);
                    continue;
                }
                String other = ctx.hosts.bindTls(h, new HostTable.TlsBinding(validation.secret(), DownstreamTls.atLeast(min), owner, null));
                if (other != null) {
                    problems.add(field + ": host " + h + " already has a certificate from " + other);
                }
            }
        }
    }

    private static PathMatch match(HTTPIngressPath path, String host, List<String> problems) {
        String p = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
        String type = path.getPathType() == null ? "ImplementationSpecific" : path.getPathType();
        if (Names.pathProblem(p) != null) {
            problems.add("host " + host + " path \"" + p + "\": a path " + Names.pathProblem(p));
            return null;
        }
        if (type.equals("ImplementationSpecific") && PathRegex.looksLikeRegex(p)) {
            // Contour's rule: such a path is a regex over the whole path; one Envoy cannot compile
            // is refused here, as it would make Envoy reject every tenant's routes.
            String problem = PathRegex.problem(p);
            if (problem != null) {
                problems.add("host " + host + " path \"" + p + "\": a regex path " + problem);
                return null;
            }
            return new PathMatch.Regex(p);
        }
        return switch (type) {
            case "Exact" -> new PathMatch.Exact(p);
            case "Prefix", "ImplementationSpecific" -> new PathMatch.SegmentPrefix(p);
            default -> {
                problems.add("host " + host + " path " + p + ": unknown pathType \"" + type + "\"");
                yield null;
            }
        };
    }

    private RouteAction action(ObjectKey key, IngressBackend backend, RoutePolicy policy, String where, List<String> problems) {
        IngressServiceBackend svc = backend == null ? null : backend.getService();
        if (svc == null || svc.getName() == null) {
            problems.add(where + ": only Service backends are supported");
            return new RouteAction.DirectResponse(503, null);
        }
        IntOrString port = svc.getPort() == null ? null
                : svc.getPort().getNumber() != null ? new IntOrString(svc.getPort().getNumber())
                : svc.getPort().getName() != null ? new IntOrString(svc.getPort().getName()) : null;
        var resolution = ctx.backends.resolve(new ObjectKey(key.namespace(), svc.getName()), port);
        if (!resolution.ok()) {
            problems.add(where + ": " + resolution.error() + " (requests get 503)");
            return new RouteAction.DirectResponse(503, null);
        }
        return new RouteAction.Forward(List.of(new WeightedCluster(resolution.cluster().name(), 1)), policy);
    }

    private static RoutePolicy policy(AnnotationReader ann) {
        Duration timeout = ann.timeout(Annotations.RESPONSE_TIMEOUT, Annotations.REQUEST_TIMEOUT).orElse(null);
        RetryPolicy retry = ann.contour(Annotations.RETRY_ON).map(v -> retry(v, ann)).orElse(null);
        return new RoutePolicy(timeout, retry, false, null, false);
    }

    private static RetryPolicy retry(String retryOn, AnnotationReader ann) {
        List<String> conditions = new ArrayList<>();
        for (String c : retryOn.split(",")) {
            String t = c.trim();
            if (RETRY_ON.contains(t)) {
                conditions.add(t);
            } else if (!t.isEmpty()) {
                ann.warn(Annotations.RETRY_ON, t, "is not a retry condition Envoy knows");
            }
        }
        if (conditions.isEmpty()) {
            return null;
        }
        int count = ann.count(Annotations.NUM_RETRIES).orElse(1);
        Duration perTry = ann.duration(Annotations.PER_TRY_TIMEOUT).orElse(null);
        return new RetryPolicy(String.join(",", conditions), count, perTry);
    }

    private static ObjectStatus status(ObjectKey key, String state, String description) {
        return new ObjectStatus(API_VERSION, KIND, key.namespace(), key.name(), state, description);
    }

    /**
     * Whether a root IngressRoute owns {@code host}: it claims it and this Ingress is not older (a
     * host belongs to its first claimant; without timestamps, roots come first). An older Ingress
     * keeps the host, and the root is told.
     */
    private boolean rootOwns(String host, ObjectKey key) {
        BuildContext.RootClaim claim = ctx.rootHosts.get(host);
        if (claim == null) {
            return false;
        }
        if (currentCreated != null && claim.created() != null && currentCreated.compareTo(claim.created()) < 0) {
            ctx.olderClaims.putIfAbsent(host, KIND + " " + key);
            return false;
        }
        return true;
    }

    private String ownedByRoot(String host) {
        return "host " + host + " belongs to " + ctx.rootHosts.get(host).owner() + " and is not served for this Ingress";
    }

    /**
     * A named host belongs to the namespace of the oldest Ingress that uses it (Ingresses run
     * oldest first): Ingresses in that namespace may share it, no other namespace may add paths
     * or a certificate to it. Returns why {@code key} may not, or null (and claims it if unclaimed).
     */
    private String otherNamespaceOwner(String host, ObjectKey key) {
        if (host.equals(VirtualHost.DEFAULT_HOST)) {
            return null;
        }
        ObjectKey owner = hostNamespaces.putIfAbsent(host, key);
        if (owner == null || owner.namespace().equals(key.namespace())) {
            return null;
        }
        return "host " + host + " belongs to namespace " + owner.namespace() + " (Ingress " + owner + ") and is not served for this Ingress";
    }
}
