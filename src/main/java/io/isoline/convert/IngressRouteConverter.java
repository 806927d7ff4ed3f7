package io.isoline.convert;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.isoline.k8s.HTTPProxy;
import io.isoline.k8s.HTTPProxySpec;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.IngressRouteSpec;
import io.isoline.k8s.TLSCertificateDelegation;
import io.isoline.k8s.TLSCertificateDelegationV1;
import io.isoline.state.ClusterState;
import io.isoline.state.ObjectKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * IngressRoutes and their TLSCertificateDelegations to HTTPProxies and {@code projectcontour.io/v1}
 * delegations. The one real difference in shape: an IngressRoute's paths are absolute, an
 * HTTPProxy's are relative to the includes above it, so each delegated IngressRoute's paths are
 * made relative to the prefix it is delegated at (found by walking from the roots).
 */
public final class IngressRouteConverter {

    /** The converted objects, in the order of the input, and what could not be carried over exactly. */
    public record Result(List<HasMetadata> objects, List<Note> notes) {
    }

    /** @param object {@code Kind namespace/name} of the input object */
    public record Note(String object, String message) {
        @Override
        public String toString() {
            return object + ": " + message;
        }
    }

    private final Map<ObjectKey, IngressRoute> routes;
    private final Map<ObjectKey, String> delegatedAt = new TreeMap<>();
    private final List<Note> notes = new ArrayList<>();

    private IngressRouteConverter(Map<ObjectKey, IngressRoute> routes) {
        this.routes = routes;
    }

    public static Result convert(ClusterState state) {
        IngressRouteConverter c = new IngressRouteConverter(state.ingressRoutes());
        c.walk();
        List<HasMetadata> out = new ArrayList<>();
        state.ingressRoutes().forEach((key, ir) -> out.add(c.proxy(key, ir)));
        state.tlsCertificateDelegations().values().forEach(d -> out.add(delegation(d)));
        return new Result(out, List.copyOf(c.notes));
    }

    /** Finds the prefix each IngressRoute is delegated at, breadth first from the roots. */
    private void walk() {
        Deque<ObjectKey> queue = new ArrayDeque<>();
        routes.forEach((key, ir) -> {
            if (ir.getSpec() != null && ir.getSpec().virtualhost != null) {
                delegatedAt.put(key, "");
                queue.add(key);
            }
        });
        while (!queue.isEmpty()) {
            ObjectKey key = queue.poll();
            for (IngressRouteSpec.Route r : nullSafe(routes.get(key).getSpec().routes)) {
                if (r == null || r.delegate == null || r.match == null) {
                    continue;
                }
                ObjectKey child = ObjectKey.of(r.delegate.namespace, r.delegate.name, key.namespace());
                String existing = delegatedAt.get(child);
                if (existing == null && routes.containsKey(child)) {
                    delegatedAt.put(child, r.match);
                    queue.add(child);
                } else if (existing != null && !existing.equals(r.match) && !existing.isEmpty()) {
                    note(child, "is delegated at " + existing + " and at " + r.match + "; its paths are converted relative to "
                            + existing + ", so under " + r.match + " they would not match: give each prefix its own HTTPProxy");
                }
            }
        }
    }

    private HTTPProxy proxy(ObjectKey key, IngressRoute ir) {
        HTTPProxy proxy = new HTTPProxy();
        proxy.setMetadata(metadata(ir.getMetadata()));
        HTTPProxySpec spec = new HTTPProxySpec();
        proxy.setSpec(spec);
        IngressRouteSpec in = ir.getSpec() == null ? new IngressRouteSpec() : ir.getSpec();
        String prefix = delegatedAt.get(key);
        if (prefix == null) {
            prefix = "";
            if (in.virtualhost == null) {
                note(key, "no root delegates to it; its paths are kept as they are");
            }
        }
        if (in.virtualhost != null) {
            spec.virtualhost = virtualHost(key, in.virtualhost);
        }
        for (IngressRouteSpec.Route r : nullSafe(in.routes)) {
            convertRoute(key, prefix, r, spec);
        }
        if (in.tcpproxy != null) {
            spec.tcpproxy = RouteConversion.tcpProxy(in.tcpproxy, message -> note(key, message));
        }
        return proxy;
    }

    private void convertRoute(ObjectKey key, String prefix, IngressRouteSpec.Route r, HTTPProxySpec spec) {
        if (r == null || r.match == null) {
            note(key, "a route without a match is left out");
            return;
        }
        List<HTTPProxySpec.MatchCondition> conditions = RouteConversion.relative(r.match, prefix);
        if (conditions == null) {
            note(key, "route " + r.match + " is not under " + prefix + " as a path HTTPProxy can append, so it is left out");
            return;
        }
        if (r.delegate != null) {
            HTTPProxySpec.Include include = new HTTPProxySpec.Include();
            include.name = r.delegate.name;
            include.namespace = r.delegate.namespace;
            include.conditions = conditions.isEmpty() ? null : conditions;
            if (spec.includes == null) {
                spec.includes = new ArrayList<>();
            }
            spec.includes.add(include);
            if (r.services != null && !r.services.isEmpty()) {
                note(key, "route " + r.match + " has services and a delegate (invalid in Contour); only the include is kept");
            }
            return;
        }
        if (spec.routes == null) {
            spec.routes = new ArrayList<>();
        }
        spec.routes.add(RouteConversion.route(r, conditions, message -> note(key, "route " + r.match + ": " + message)));
    }

    private HTTPProxySpec.VirtualHost virtualHost(ObjectKey key, IngressRouteSpec.VirtualHost in) {
        HTTPProxySpec.VirtualHost vh = new HTTPProxySpec.VirtualHost();
        vh.fqdn = in.fqdn;
        if (in.tls != null) {
            vh.tls = new HTTPProxySpec.Tls();
            vh.tls.secretName = in.tls.secretName;
            vh.tls.passthrough = in.tls.passthrough;
            String v = in.tls.minimumProtocolVersion;
            if (v != null && !v.equals("1.2") && !v.equals("1.3")) {
                note(key, "tls.minimumProtocolVersion " + v + " is not one HTTPProxy has (1.2, 1.3); the default (1.2) applies, as it "
                        + "did for the IngressRoute");
            } else {
                vh.tls.minimumProtocolVersion = v;
            }
        }
        return vh;
    }

    private static ObjectMeta metadata(ObjectMeta in) {
        ObjectMeta m = new ObjectMeta();
        m.setName(in.getName());
        m.setNamespace(in.getNamespace());
        if (in.getLabels() != null && !in.getLabels().isEmpty()) {
            m.setLabels(new LinkedHashMap<>(in.getLabels()));
        }
        Map<String, String> annotations = in.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(in.getAnnotations());
        annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
        if (!annotations.isEmpty()) {
            m.setAnnotations(annotations);
        }
        return m;
    }

    private static TLSCertificateDelegationV1 delegation(TLSCertificateDelegation in) {
        TLSCertificateDelegationV1 out = new TLSCertificateDelegationV1();
        out.setMetadata(metadata(in.getMetadata()));
        out.setSpec(in.getSpec());
        return out;
    }

    private void note(ObjectKey key, String message) {
        notes.add(new Note(IngressRoute.KIND + " " + key, message));
    }

    static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
