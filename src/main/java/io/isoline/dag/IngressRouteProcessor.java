package io.isoline.dag;

import io.isoline.dag.HostTable.Entry;
import io.isoline.dag.HostTable.HttpMode;
import io.isoline.dag.HostTable.TlsBinding;
import io.isoline.dag.RouteAction.WeightedCluster;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.IngressRouteSpec;
import io.isoline.state.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Contour's IngressRoute model: roots (objects with a {@code virtualhost}) own an fqdn and hand path
 * prefixes to other IngressRoutes by delegation. Every IngressRoute of our class gets a status:
 * {@code valid} when reached by a valid chain from a root, {@code invalid} with the reason, or
 * {@code orphaned} when no valid chain reaches it.
 */
final class IngressRouteProcessor {

    static final String VALID = "valid IngressRoute";
    static final String ORPHANED = "this IngressRoute is not part of a delegation chain from a root IngressRoute";
    static final String BAD_ROOT_NAMESPACE = "root IngressRoute cannot be defined in this namespace";

    private final BuildContext ctx;
    /** The IngressRoutes of our class, in key order. */
    private final java.util.NavigableMap<ObjectKey, IngressRoute> objects;
    /** {@link #objects} as a root's step reads them (recorded for the {@link DagCache}). */
    private final Map<ObjectKey, IngressRoute> lookups;
    private final RouteServices services;
    private final DelegationWalker walker;
    private final Set<ObjectKey> valid = new HashSet<>();
    private final Map<ObjectKey, String> invalid = new HashMap<>();
    private final Map<ObjectKey, List<String>> notes = new HashMap<>();

    IngressRouteProcessor(BuildContext ctx) {
        this(ctx, false);
    }

    /** {@code quick}: for a {@link QuickBuild}, which looks objects up (ours only) and never lists them. */
    private IngressRouteProcessor(BuildContext ctx, boolean quick) {
        this.ctx = ctx;
        this.classes = new IngressClassMatcher(ctx.state, ctx.options);
        Map<ObjectKey, IngressRoute> source;
        if (quick) {
            this.objects = null;
            source = QuickBuild.oursOnly(ctx.state.ingressRoutes(), this::ours);
        } else if (ctx.state.ingressRoutes().values().stream().allMatch(this::ours)) {
            this.objects = ctx.state.ingressRoutes(); // the usual case: no copy
            source = objects;
        } else {
            this.objects = new TreeMap<>();
            ctx.state.ingressRoutes().forEach((k, ir) -> {
                if (ours(ir)) {
                    objects.put(k, ir);
                }
            });
            source = objects;
        }
        this.lookups = ctx.reads.recorded(Reads.Source.INGRESS_ROUTE, source);
        this.services = new RouteServices(ctx, IngressRoute.KIND);
        this.walker = new DelegationWalker(lookups, services, ctx.reads.recorded(Reads.Source.REJECTED, ctx.rejected));
    }

    static IngressRouteProcessor forQuick(BuildContext ctx) {
        return new IngressRouteProcessor(ctx, true);
    }

    private final IngressClassMatcher classes;

    /** Whether this controller serves {@code ir} (its class). */
    boolean ours(IngressRoute ir) {
        return ctx.cache.ingressRoutesOfOurs.get(ir, o -> classes.serves(ir, null)) == Boolean.TRUE;
    }

    private final Map<String, List<ObjectKey>> claims = new TreeMap<>();

    /**
     * Finds the roots and the hosts they claim, and reserves those hosts in the build: a host
     * claimed by a root belongs to roots (root kinds before Ingress), even while the root is
     * invalid, so an Ingress cannot take it. Runs before the Ingress processor.
     */
    void claimHosts() {
        objects.forEach((key, ir) -> {
            Claim claim = claimOf(key, ir);
            if (claim.invalid() != null) {
                invalid.put(key, claim.invalid());
            } else if (claim.fqdn() != null) {
                claims.computeIfAbsent(claim.fqdn(), f -> new ArrayList<>()).add(key);
            }
        });
        claims.values().forEach(roots -> roots.sort(Comparator.comparing((ObjectKey k) -> BuildContext.created(objects.get(k)),
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Comparator.naturalOrder())));
        claims.forEach((fqdn, roots) -> ctx.rootHosts.put(fqdn, ctx.options.conflictingRootsInvalid() && roots.size() > 1
                ? new BuildContext.RootClaim(HTTPProxyProcessor.CONFLICT, null)
                : new BuildContext.RootClaim(IngressRoute.KIND + " " + roots.get(0), BuildContext.created(objects.get(roots.get(0))))));
    }


    /** What an IngressRoute alone says about the host it claims: the fqdn (lower case), why it cannot, or neither (not a root). */
    record Claim(String fqdn, String invalid) {
    }

    /** {@code ir}'s claim (kept per instance). */
    Claim claimOf(ObjectKey key, IngressRoute ir) {
        return (Claim) ctx.cache.rootClaims.get(ir, o -> claim(key, ir));
    }

    private Claim claim(ObjectKey key, IngressRoute ir) {
        String unreadable = ir.getSpec() == null ? null : ir.getSpec().decodeProblem();
        if (unreadable != null) {
            return new Claim(null, unreadable); // a spec of the wrong shape claims nothing
        }
        IngressRouteSpec.VirtualHost vh = ir.getSpec() == null ? null : ir.getSpec().virtualhost;
        if (vh == null) {
            return new Claim(null, null);
        }
        if (!ctx.options.rootAllowedIn(key.namespace())) {
            return new Claim(null, BAD_ROOT_NAMESPACE);
        } else if (vh.fqdn == null || vh.fqdn.isBlank()) {
            return new Claim(null, "Spec.VirtualHost.Fqdn must be specified");
        } else if (vh.fqdn.contains("*")) {
            // Contour 0.15+ (the CRD's pattern refuses it too): a wildcard root would catch every
            // name under it that no other root has claimed yet.
            return new Claim(null, "Spec.VirtualHost.Fqdn \"" + vh.fqdn + "\" cannot use wildcards");
        }
        String fqdn = vh.fqdn.toLowerCase(Locale.ROOT);
        String problem = Names.hostProblem(fqdn);
        return problem != null ? new Claim(null, "spec.virtualhost.fqdn \"" + vh.fqdn + "\" " + problem) : new Claim(fqdn, null);
    }

    void run() {
        claims.forEach((fqdn, roots) -> {
            String conflict = ctx.conflicts.get(fqdn);
            if (ctx.options.conflictingRootsInvalid() && (roots.size() > 1 || conflict != null)) {
                // Contour's rule (--conflicting-roots=none): nobody serves a host two roots claim.
                String all = roots.stream().map(k -> IngressRoute.KIND + " " + k).collect(java.util.stream.Collectors.joining(", "))
                        + (conflict == null ? "" : ", " + conflict);
                roots.forEach(k -> invalid.put(k, "fqdn \"" + fqdn + "\" is used in multiple root objects: " + all));
                return;
            }
            // The oldest claimant keeps the fqdn (Contour serves neither, which lets any tenant take
            // a host offline by claiming it); the others are told who has it.
            for (ObjectKey later : roots.subList(1, roots.size())) {
                invalid.put(later, "fqdn \"" + fqdn + "\" is already claimed by IngressRoute " + roots.get(0));
            }
            String ingress = ctx.olderClaims.get(fqdn);
            if (ingress != null) {
                invalid.put(roots.get(0), "fqdn \"" + fqdn + "\" is already served by " + ingress + ", which is older");
                return;
            }
            processRoot(roots.get(0), fqdn);
        });
        objects.forEach((key, ir) -> annotations(key, ir, ctx.warnings).forEach(n -> note(key, n)));
        objects.keySet().forEach(this::status);
    }

    /** What {@code ir}'s annotations note on its status; their warnings go to {@code warnings}. */
    static List<String> annotations(ObjectKey key, IngressRoute ir, List<String> warnings) {
        return new AnnotationReader(ir.getMetadata().getAnnotations(), IngressRoute.KIND + " " + key, warnings)
                .unsupportedContour(io.isoline.k8s.Annotations.INGRESS_ROUTE_SUPPORTED, "has no effect on an IngressRoute");
    }

    /** For a {@link QuickBuild}: walks and commits root {@code key}, the winner of {@code fqdn}; returns its walk. */
    RootWalk quickRoot(ObjectKey key, String fqdn) {
        return processRoot(key, fqdn);
    }

    /** For a {@link QuickBuild}, after its roots: gives {@code key} (ours) its status. */
    void quickStatus(ObjectKey key, IngressRoute ir) {
        annotations(key, ir, ctx.warnings).forEach(n -> note(key, n));
        status(key);
    }

    /** The IngressRoutes whose status committing {@code walk} of {@code root} can change. */
    static Set<ObjectKey> mentioned(ObjectKey root, RootWalk walk) {
        Set<ObjectKey> out = new HashSet<>();
        out.add(root);
        out.addAll(walk.found().valid);
        out.addAll(walk.found().notes.keySet());
        DelegationWalker.Visit visit = walk.visit();
        if (visit != null) {
            out.addAll(visit.valid);
            out.addAll(visit.invalid.keySet());
            out.addAll(visit.notes.keySet());
            visit.routes.forEach(r -> out.add(r.owner()));
        }
        return out;
    }

    /**
     * What walking a root found, before it is committed: its TLS binding and its tree's visit, or why
     * the root is invalid; {@code found} holds what the TLS part noted and the TCP delegates it
     * reached, which count even when the root is invalid.
     */
    record RootWalk(TlsBinding tls, DelegationWalker.Visit visit, String invalid, DelegationWalker.Visit found) {
    }

    /** A root's walk in the {@link DagCache}. */
    record RootStep(ObjectKey root) implements Reads.RootKey {
    }

    private RootWalk processRoot(ObjectKey key, String fqdn) {
        RootWalk walk = ctx.reads.memo(new RootStep(key), () -> walk(key));
        valid.addAll(walk.found().valid);
        walk.found().notes.forEach((k, v) -> v.forEach(n -> note(k, n)));
        if (walk.invalid() != null) {
            invalid.put(key, walk.invalid());
        } else {
            commit(key, fqdn, walk);
        }
        return walk;
    }

    /** A root's walk: reads only through {@link #lookups}, the resolvers and the recorded rejections. */
    private RootWalk walk(ObjectKey key) {
        DelegationWalker.Visit found = new DelegationWalker.Visit();
        try {
            TlsBinding tls = tls(key, lookups.get(key).getSpec(), found);
            return new RootWalk(tls, walker.visit(key, null, List.of(key)), null, found);
        } catch (InvalidObject e) {
            return new RootWalk(null, null, e.getMessage(), found);
        }
    }

    /** The root's TLS (and TCP proxy) binding, or null for a plain-HTTP virtual host. */
    private TlsBinding tls(ObjectKey key, IngressRouteSpec spec, DelegationWalker.Visit found) throws InvalidObject {
        IngressRouteSpec.Tls tls = spec.virtualhost.tls;
        boolean passthrough = tls != null && Boolean.TRUE.equals(tls.passthrough);
        boolean terminate = tls != null && tls.secretName != null && !tls.secretName.isEmpty();
        if (passthrough && terminate) {
            throw new InvalidObject("tls: secretName and passthrough cannot both be set");
        }
        List<WeightedCluster> tcp = null;
        // As in Contour 1.0-1.5: a TCP part that cannot be served (a tcpproxy with no TLS, passthrough
        // with no tcpproxy) is ignored, the routes are served on port 80, and the status says so.
        if (spec.tcpproxy != null && !passthrough && !terminate) {
            found.note(key, "tcpproxy is ignored: it needs tls.secretName or tls.passthrough");
        } else if (spec.tcpproxy != null) {
            tcp = tcpProxy(key, spec.tcpproxy, new ArrayList<>(List.of(key)), found);
        } else if (passthrough) {
            found.note(key, "tls.passthrough is ignored: it needs a tcpproxy");
            return null;
        }
        if (!passthrough && !terminate) {
            return null;
        }
        TlsVersion min = ctx.minimumTls(TlsVersion.parse(tls.minimumProtocolVersion));
        TlsSecret secret = null;
        if (terminate) {
            var validation = ctx.secrets.validateFor(ObjectKey.parse(tls.secretName, key.namespace()), key.namespace());
            if (validation.secret() == null) {
                throw new InvalidObject("tls.secretName: " + validation.error());
            }
            secret = validation.secret();
        }
        return new TlsBinding(secret, DownstreamTls.atLeast(min), IngressRoute.KIND + " " + key, tcp);
    }

    /** The tcpproxy's services, following {@code delegate} to another IngressRoute's tcpproxy. */
    private List<WeightedCluster> tcpProxy(ObjectKey key, IngressRouteSpec.TcpProxy tcp, List<ObjectKey> chain,
            DelegationWalker.Visit found) throws InvalidObject {
        if (tcp.delegate != null && tcp.services != null && !tcp.services.isEmpty()) {
            throw new InvalidObject("tcpproxy: cannot specify services and delegate in the same tcpproxy");
        }
        if (tcp.delegate == null) {
            if (tcp.services == null || tcp.services.isEmpty()) {
                throw new InvalidObject("tcpproxy: needs services or a delegate");
            }
            // Weight 0 means no share of the traffic, as on HTTP routes; Envoy's TCP proxy does not
            // accept a zero weight, so such services are left out (at least one weight is positive).
            // A service with no weight at all gets a share of 1 beside weighted ones: Contour never
            // leaves it out.
            return services.clusters(key, tcp.services, "tcpproxy", 1).stream().filter(wc -> wc.weight() > 0).toList();
        }
        ObjectKey target = DelegationWalker.target(key, tcp.delegate);
        IngressRoute child = lookups.get(target);
        if (chain.contains(target)) {
            throw new InvalidObject("tcpproxy: delegation cycle through " + target);
        }
        if (child == null || child.getSpec() == null || child.getSpec().tcpproxy == null) {
            throw new InvalidObject("tcpproxy: delegate " + target + " not found or has no tcpproxy");
        }
        chain.add(target);
        List<WeightedCluster> clusters = tcpProxy(target, child.getSpec().tcpproxy, chain, found);
        found.valid.add(target);
        return clusters;
    }

    /** One of a walk's routes as the host table takes it: an entry, or the note saying why it is not served. */
    private record Planned(ObjectKey owner, String match, Entry entry, String note) {
    }

    /** What committing {@code walk} adds, made once per walk (the same entries while the walk is reused). */
    private List<Planned> plan(RootWalk walk) {
        // Port 80 redirects to TLS only where TLS serves the routes: with a tcpproxy, port 443 is
        // TCP, and the routes stay on port 80 with no redirect (Contour 1.0-1.5).
        boolean secure = walk.tls() != null && walk.tls().tcpProxy() == null;
        List<Planned> plan = new ArrayList<>();
        for (DelegationWalker.PendingRoute r : walk.visit().routes) {
            String conflict = DelegationZones.conflict(r, walk.visit().zones);
            if (conflict != null) {
                plan.add(new Planned(r.owner(), r.match(), null, conflict));
                continue;
            }
            boolean insecure = r.permitInsecure() && !ctx.options.disablePermitInsecure();
            HttpMode http = !secure || insecure ? HttpMode.SERVE : HttpMode.REDIRECT;
            String owner = IngressRoute.KIND + " " + r.owner();
            plan.add(new Planned(r.owner(), r.match(), new Entry(new PathMatch.StringPrefix(r.match()), r.action(), owner, http, false), null));
        }
        return List.copyOf(plan);
    }

    @SuppressWarnings("unchecked")
    private void commit(ObjectKey root, String fqdn, RootWalk walk) {
        if (walk.tls() != null) {
            String other = ctx.hosts.bindTls(fqdn, walk.tls());
            if (other != null) {
                note(root, "host " + fqdn + " already has TLS settings from " + other);
            }
        }
        for (Planned p : (List<Planned>) ctx.cache.commitPlans.get(walk, w -> plan(walk))) {
            if (p.note() != null) {
                note(p.owner(), p.note());
                continue;
            }
            String taken = ctx.hosts.add(fqdn, p.entry());
            if (taken != null && !taken.equals(p.entry().owner())) {
                note(p.owner(), "route \"" + p.match() + "\" on " + fqdn + " is already served by " + taken);
            }
        }
        DelegationWalker.Visit visit = walk.visit();
        valid.addAll(visit.valid);
        visit.invalid.forEach(invalid::putIfAbsent);
        visit.notes.forEach((k, v) -> v.forEach(n -> note(k, n)));
    }

    private void note(ObjectKey key, String note) {
        List<String> list = notes.computeIfAbsent(key, k -> new ArrayList<>());
        if (!list.contains(note)) {
            list.add(note);
        }
    }

    private void status(ObjectKey key) {
        String state;
        String description;
        if (valid.contains(key)) {
            state = ObjectStatus.VALID;
            description = notes.containsKey(key) ? VALID + "; " + String.join("; ", notes.get(key)) : VALID;
        } else if (invalid.containsKey(key)) {
            state = ObjectStatus.INVALID;
            description = invalid.get(key);
        } else {
            state = ObjectStatus.ORPHANED;
            description = ORPHANED;
        }
        ctx.status(new ObjectStatus(IngressRoute.API_VERSION, IngressRoute.KIND, key.namespace(), key.name(), state,
                description));
    }
}
