package io.isoline.dag;

import io.isoline.dag.HostTable.Entry;
import io.isoline.dag.HostTable.HttpMode;
import io.isoline.dag.HostTable.TlsBinding;
import io.isoline.dag.RouteAction.WeightedCluster;
import io.isoline.k8s.HTTPProxy;
import io.isoline.k8s.HTTPProxySpec;
import io.isoline.state.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Contour's HTTPProxy model: roots (with a {@code virtualhost}) own an fqdn; {@code includes} add
 * other HTTPProxies' routes (in any namespace) under the include's conditions ({@link IncludeWalker}).
 * As in Contour, an error is reported on the object it concerns and costs only what it breaks: a
 * route with a bad condition or policy drops that object's routes; an unresolved Service answers
 * 503 on its route; a missing include answers 502 under its conditions.
 *
 * <p>A root's fqdn belongs to its oldest claimant among root HTTPProxies and IngressRoutes (Contour
 * makes every claimant invalid, which lets any root namespace take a host offline; see
 * docs/migrating-from-contour.md), unless {@code --conflicting-roots=none} asks for Contour's rule.
 */
final class HTTPProxyProcessor {

    static final String OWNER_PREFIX = HTTPProxy.KIND + " ";
    /** The owner of a host that conflicting roots made nobody's (--conflicting-roots=none). */
    static final String CONFLICT = "conflicting roots";

    private final BuildContext ctx;
    private final TreeMap<ObjectKey, HTTPProxy> objects = new TreeMap<>();
    private final Map<ObjectKey, ProxyReport> reports = new HashMap<>();
    private final Map<String, ObjectKey> winners = new TreeMap<>();
    private final IncludeWalker walker;
    /** {@link #objects} and the rejections as a root's walk reads them (recorded for the {@link DagCache}). */
    private final Map<ObjectKey, HTTPProxy> lookups;
    private final Map<String, String> rejections;

    HTTPProxyProcessor(BuildContext ctx) {
        this(ctx, false);
    }

    /** {@code quick}: for a {@link QuickBuild}, which looks objects up (ours only) and never lists them. */
    private HTTPProxyProcessor(BuildContext ctx, boolean quick) {
        this.ctx = ctx;
        this.classes = new IngressClassMatcher(ctx.state, ctx.options);
        Map<ObjectKey, HTTPProxy> source = objects;
        if (quick) {
            source = QuickBuild.oursOnly(ctx.state.httpProxies(), this::ours);
        } else {
            ctx.state.httpProxies().forEach((k, p) -> {
                if (ours(p)) {
                    objects.put(k, p);
                }
            });
        }
        this.lookups = ctx.reads.recorded(Reads.Source.HTTP_PROXY, source);
        this.rejections = ctx.reads.recorded(Reads.Source.REJECTED, ctx.rejected);
        ctx.proxyReports = this::report;
        this.walker = new IncludeWalker(lookups, rejections, this::report, new RouteServices(ctx, HTTPProxy.KIND));
    }

    static HTTPProxyProcessor forQuick(BuildContext ctx) {
        return new HTTPProxyProcessor(ctx, true);
    }

    private final IngressClassMatcher classes;

    /** Whether this controller serves {@code p} (its class). */
    boolean ours(HTTPProxy p) {
        return classes.serves(p, p.getSpec() == null ? null : p.getSpec().ingressClassName);
    }

    /** The fqdn a root claims as written (null: not a root, or its spec unreadable), then trimmed and in lower case. */
    static String rawFqdn(HTTPProxy p) {
        HTTPProxySpec spec = p.getSpec();
        return spec == null || spec.decodeProblem() != null || spec.virtualhost == null ? null
                : spec.virtualhost.fqdn == null ? "" : spec.virtualhost.fqdn;
    }

    static String fqdn(String raw) {
        return raw.trim().toLowerCase(Locale.ROOT);
    }

    /** For a {@link QuickBuild}: walks and commits root {@code key}, the winner of {@code fqdn}, as a full build does. */
    void quickRoot(ObjectKey key, String fqdn) {
        report(key).reach();
        processRoot(key, fqdn);
    }

    /** For a {@link QuickBuild}, after its roots: gives {@code key} (ours) its status. */
    void quickStatus(ObjectKey key, HTTPProxy proxy) {
        annotations(key, proxy, ctx.warnings).forEach(n -> report(key).warning("SpecError", "AnnotationIgnored", n));
        ctx.status(report(key).status());
    }

    /** What {@code proxy}'s annotations note on its status; their warnings go to {@code warnings}. */
    static List<String> annotations(ObjectKey key, HTTPProxy proxy, List<String> warnings) {
        return new AnnotationReader(proxy.getMetadata().getAnnotations(), OWNER_PREFIX + key, warnings)
                .unsupportedContour(io.isoline.k8s.Annotations.INGRESS_ROUTE_SUPPORTED, "has no effect on an HTTPProxy");
    }

    /** The objects whose reports root {@code root}'s step {@code entry} and its routes give findings to. */
    static java.util.Set<ObjectKey> mentioned(ObjectKey root, DagCache.Entry entry) {
        java.util.Set<ObjectKey> out = new java.util.HashSet<>();
        out.add(root);
        for (Reads.Effect e : entry.effects) {
            if (e instanceof ProxyReport.Finding f) {
                out.add(f.key());
            }
        }
        RootWalk walk = (RootWalk) entry.value;
        if (walk.routes() != null) {
            walk.routes().forEach(r -> out.add(ObjectKey.parse(r.owner().substring(OWNER_PREFIX.length()), root.namespace())));
        }
        return out;
    }

    ProxyReport report(ObjectKey key) {
        return reports.computeIfAbsent(key, k -> new ProxyReport(k, ctx.reads));
    }

    /** Finds the roots and claims their hosts (after IngressRoute roots, before Ingresses; see the class comment). */
    void claimHosts() {
        Map<String, List<ObjectKey>> claims = new TreeMap<>();
        objects.forEach((key, proxy) -> {
            HTTPProxySpec spec = proxy.getSpec();
            String unreadable = spec == null ? null : spec.decodeProblem();
            if (unreadable != null) {
                report(key).error("SpecError", "SpecNotValid", unreadable);
                return;
            }
            if (spec == null || spec.virtualhost == null) {
                return;
            }
            ProxyReport r = report(key);
            r.reach();
            String fqdn = fqdn(rawFqdn(proxy));
            if (fqdn.isEmpty()) {
                r.error("VirtualHostError", "FQDNNotSpecified", "Spec.VirtualHost.Fqdn must be specified");
            } else if (!ctx.options.rootAllowedIn(key.namespace())) {
                r.error("RootNamespaceError", "RootProxyNotAllowedInNamespace", "root HTTPProxy cannot be defined in this namespace");
            } else if (fqdnProblem(fqdn) != null) {
                r.error("VirtualHostError", "FQDNNotValid", "Spec.VirtualHost.Fqdn \"" + spec.virtualhost.fqdn + "\" " + fqdnProblem(fqdn));
            } else {
                claims.computeIfAbsent(fqdn, f -> new ArrayList<>()).add(key);
            }
        });
        claims.forEach((fqdn, roots) -> {
            roots.sort(Comparator.comparing((ObjectKey k) -> BuildContext.created(objects.get(k)),
                    Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Comparator.naturalOrder()));
            ObjectKey first = roots.get(0);
            String created = BuildContext.created(objects.get(first));
            BuildContext.RootClaim other = ctx.rootHosts.get(fqdn);
            if (ctx.options.conflictingRootsInvalid() && (roots.size() > 1 || other != null)) {
                // Contour's rule (--conflicting-roots=none): nobody serves a host two roots claim.
                List<String> all = new ArrayList<>(roots.stream().map(k -> OWNER_PREFIX + k).toList());
                if (other != null && !other.owner().equals(CONFLICT)) {
                    all.add(0, other.owner());
                }
                ctx.conflicts.put(fqdn, String.join(", ", roots.stream().map(k -> OWNER_PREFIX + k).toList()));
                roots.forEach(k -> report(k).error("VirtualHostError", "DuplicateVhost", "fqdn \"" + fqdn
                        + "\" is used in multiple root objects: " + String.join(", ", all)));
                ctx.rootHosts.put(fqdn, new BuildContext.RootClaim(CONFLICT, null));
                return;
            }
            for (ObjectKey later : roots.subList(1, roots.size())) {
                report(later).error("VirtualHostError", "DuplicateVhost", "fqdn \"" + fqdn + "\" is already claimed by "
                        + OWNER_PREFIX + first);
            }
            if (other != null && !(created != null && other.created() != null && created.compareTo(other.created()) < 0)) {
                report(first).error("VirtualHostError", "DuplicateVhost", "fqdn \"" + fqdn + "\" is already claimed by " + other.owner());
                return;
            }
            if (other != null) {
                ctx.olderClaims.putIfAbsent(fqdn, OWNER_PREFIX + first); // the IngressRoute root is told
            }
            ctx.rootHosts.put(fqdn, new BuildContext.RootClaim(OWNER_PREFIX + first, created));
            winners.put(fqdn, first);
        });
    }

    /** What is wrong with an HTTPProxy fqdn: a host name, or a wildcard as the whole first label. */
    private static String fqdnProblem(String fqdn) {
        if (fqdn.indexOf('*', 1) >= 0 || (fqdn.startsWith("*") && !fqdn.startsWith("*."))) {
            return "cannot use wildcards except as the whole first label (*.example.com)";
        }
        return Names.hostProblem(fqdn);
    }

    void run() {
        winners.forEach((fqdn, key) -> {
            String older = ctx.olderClaims.get(fqdn);
            if (older != null && !older.equals(OWNER_PREFIX + key)) {
                report(key).error("VirtualHostError", "DuplicateVhost", "fqdn \"" + fqdn + "\" is already served by " + older
                        + ", which is older");
                return;
            }
            processRoot(key, fqdn);
        });
        objects.forEach((key, proxy) -> annotations(key, proxy, ctx.warnings)
                .forEach(n -> report(key).warning("SpecError", "AnnotationIgnored", n)));
        objects.keySet().forEach(k -> ctx.status(report(k).status()));
    }

    /** What walking a root found before it is committed: its TLS binding and routes, or nothing (an error was reported). */
    record RootWalk(boolean served, TlsBinding binding, List<IncludeWalker.ProxyRoute> routes) {
        static final RootWalk NONE = new RootWalk(false, null, null);
    }

    /** A root's walk in the {@link DagCache}. */
    record RootStep(ObjectKey root) implements Reads.RootKey {
    }

    private void processRoot(ObjectKey key, String fqdn) {
        RootWalk walk = ctx.reads.memo(new RootStep(key), () -> walk(key));
        if (!walk.served()) {
            return;
        }
        TlsBinding binding = walk.binding();
        if (binding != null) {
            String other = ctx.hosts.bindTls(fqdn, binding);
            if (other != null) {
                report(key).error("TLSError", "SecretNotValid", "host " + fqdn + " already has TLS settings from " + other);
                return;
            }
        }
        @SuppressWarnings("unchecked")
        List<Entry> entries = (List<Entry>) ctx.cache.commitPlans.get(walk, w -> entries(walk));
        for (Entry entry : entries) {
            String taken = ctx.hosts.add(fqdn, entry);
            if (taken != null && !taken.equals(entry.owner())) {
                report(ObjectKey.parse(entry.owner().substring(OWNER_PREFIX.length()), key.namespace()))
                        .warning("RouteError", "DuplicateRoute", "route " + entry.match().path() + " on " + fqdn
                                + " is already served by " + taken);
            }
        }
    }

    /** The host table entries of a walk's routes, made once per walk (the same entries while the walk is reused). */
    private List<Entry> entries(RootWalk walk) {
        List<Entry> out = new ArrayList<>();
        for (IncludeWalker.ProxyRoute route : walk.routes() == null ? List.<IncludeWalker.ProxyRoute>of() : walk.routes()) {
            boolean insecure = route.permitInsecure() && !ctx.options.disablePermitInsecure();
            HttpMode http = walk.binding() == null || insecure ? HttpMode.SERVE : HttpMode.REDIRECT;
            out.add(new Entry(route.match(), route.conditions(), route.action(), route.owner(), http, false));
        }
        return List.copyOf(out);
    }

    /**
     * A root's walk: reads only through the recorded views, the resolvers and the Secret checks, and
     * reports through {@link ProxyReport}, whose every finding is an effect the cache replays.
     */
    private RootWalk walk(ObjectKey key) {
        ProxyReport r = report(key);
        HTTPProxySpec spec = lookups.get(key).getSpec();
        String rejection = rejections.get(OWNER_PREFIX + key);
        if (rejection != null) {
            r.error("SpecError", "RejectedForEnvoy", rejection);
            return RootWalk.NONE;
        }
        if (isEmpty(spec.routes) && isEmpty(spec.includes) && spec.tcpproxy == null) {
            r.error("SpecError", "NothingDefined", "HTTPProxy.Spec must have at least one Route, Include, or a TCPProxy");
            return RootWalk.NONE;
        }
        HTTPProxySpec.Tls tls = spec.virtualhost.tls;
        TlsBinding binding = null;
        if (tls != null) {
            binding = ProxyTls.binding(ctx, r, key, tls);
            if (binding == null) {
                return RootWalk.NONE;
            }
        }
        if (spec.tcpproxy != null) {
            if (binding == null) {
                r.error("TCPProxyError", "TLSMustBeConfigured",
                        "Spec.TCPProxy requires that either Spec.TLS.Passthrough or Spec.TLS.SecretName be set");
                return RootWalk.NONE;
            }
            List<WeightedCluster> tcp = walker.tcpProxy(r, key, spec.tcpproxy, new ArrayList<>(List.of(key)));
            if (tcp == null) {
                return RootWalk.NONE;
            }
            binding = new TlsBinding(binding.secret(), binding.downstream(), binding.owner(), tcp);
        } else if (binding != null && binding.secret() == null) {
            r.error("TLSError", "TLSConfigNotValid", "Spec.VirtualHost.TLS: passthrough needs a Spec.TCPProxy");
            return RootWalk.NONE;
        }
        return new RootWalk(true, binding, walker.rootRoutes(r, key));
    }

    static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }
}
