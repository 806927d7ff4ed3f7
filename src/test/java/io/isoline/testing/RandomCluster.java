package io.isoline.testing;

import static io.isoline.testing.Manifests.pemSecret;
import static io.isoline.testing.Manifests.resource;
import static io.isoline.testing.Manifests.secret;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.isoline.source.ManifestParser;
import io.isoline.state.ClusterState;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A small cluster whose objects interact (shared hosts, delegations across namespaces, cycles,
 * certificates, Services used by several kinds), changed at random: for tests that compare a
 * build reusing the previous one's results with a fresh full build after every change.
 */
public final class RandomCluster {

    /** One object's possible versions ("" is "absent"), and how often it changes against the others. */
    public record Slot(String name, List<String> versions, int weight) {
        Slot(String name, List<String> versions) {
            this(name, versions, 1);
        }
    }

    public static String svc(String ns, String name, String extra) {
        return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + ns + extra + "}\n"
                + "spec: {ports: [{name: http, port: 80, targetPort: web}, {name: admin, port: 9000}]}\n";
    }

    private static String external(String ns, String name) {
        return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + ns + "}\n"
                + "spec: {type: ExternalName, externalName: upstream.example.org, ports: [{name: http, port: 80}]}\n";
    }

    public static String slice(String ns, String svc, String endpoints) {
        return slice(ns, svc + "-1", svc, endpoints);
    }

    /** A slice named {@code name} belonging to Service {@code svc}. */
    private static String slice(String ns, String name, String svc, String endpoints) {
        return "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: " + name + "\n  namespace: " + ns
                + "\n  labels: {kubernetes.io/service-name: " + svc + "}\naddressType: IPv4\n"
                + "ports: [{name: http, port: 8080}, {name: admin, port: 9090}]\nendpoints: " + endpoints + "\n";
    }

    public static String ir(String ns, String name, String spec) {
        return "apiVersion: contour.heptio.com/v1beta1\nkind: IngressRoute\nmetadata: {name: " + name + ", namespace: " + ns
                + "}\nspec:\n" + spec.indent(2);
    }

    private static String proxy(String ns, String name, String spec) {
        return "apiVersion: projectcontour.io/v1\nkind: HTTPProxy\nmetadata: {name: " + name + ", namespace: " + ns
                + "}\nspec:\n" + spec.indent(2);
    }

    private static final List<Slot> SLOTS = List.of(
            new Slot("service a/s1", List.of("", svc("a", "s1", ""),
                    svc("a", "s1", ", annotations: {projectcontour.io/max-connections: \"5\"}"),
                    svc("a", "s1", ", annotations: {projectcontour.io/max-connections: \"x\", contour.heptio.com/bogus: \"1\"}"),
                    svc("a", "s1", ", annotations: {projectcontour.io/upstream-protocol.h2c: \"80\"}"), external("a", "s1"))),
            new Slot("service b/s2", List.of("", svc("b", "s2", ""),
                    svc("b", "s2", ", annotations: {projectcontour.io/upstream-protocol.tls: \"http\"}"), external("b", "s2"))),
            new Slot("slice a/s1", List.of("", slice("a", "s1", "[{addresses: [10.0.0.1]}]"),
                    slice("a", "s1", "[{addresses: [10.0.0.2]}, {addresses: [10.0.0.3], conditions: {ready: false}}]"))),
            new Slot("slice b/s2", List.of("", slice("b", "s2", "[{addresses: [10.1.0.1]}]"))),
            // A second slice, which moves between Services (its label changes).
            new Slot("slice a/extra", List.of("", slice("a", "extra", "s1", "[{addresses: [10.0.0.9]}]"),
                    slice("a", "extra", "s2", "[{addresses: [10.0.0.9]}]"))),
            new Slot("endpoints b/s2", List.of("", "apiVersion: v1\nkind: Endpoints\nmetadata: {name: s2, namespace: b}\n"
                    + "subsets: [{addresses: [{ip: 10.2.0.1}], ports: [{name: http, port: 8080}]}]\n")),
            new Slot("secret a/tls", List.of("", tlsSecret("a", "tls"),
                    secret("a", "tls", "Opaque", resource("tls/test.crt"), resource("tls/test.key")))),
            new Slot("secret a/ca", List.of("", pemSecret("a", "ca", "ca.crt", resource("tls/test.crt")))),
            new Slot("delegation a/d", List.of("", """
                    apiVersion: contour.heptio.com/v1beta1
                    kind: TLSCertificateDelegation
                    metadata: {name: d, namespace: a}
                    spec: {delegations: [{secretName: tls, targetNamespaces: [b]}]}
                    """, """
                    apiVersion: projectcontour.io/v1
                    kind: TLSCertificateDelegation
                    metadata: {name: d, namespace: a}
                    spec: {delegations: [{secretName: tls, targetNamespaces: ["*"]}]}
                    """)),
            new Slot("ingressroute a/r1", List.of("",
                    ir("a", "r1", "virtualhost: {fqdn: x.example.com}\nroutes: [{match: /, services: [{name: s1, port: 80}]}]"),
                    ir("a", "r1", "virtualhost: {fqdn: x.example.com}\nroutes:\n- {match: /, services: [{name: s1, port: 80, weight: 3},"
                            + " {name: s1, port: 9000, strategy: Bogus}]}\n- {match: /foo, delegate: {name: c1, namespace: b}}"),
                    ir("a", "r1", "virtualhost: {fqdn: x.example.com, tls: {secretName: tls}}\n"
                            + "routes: [{match: /, delegate: {name: c2}}, {match: /foo, delegate: {name: c1, namespace: b}}]"),
                    ir("a", "r1", "virtualhost: {fqdn: x.example.com, tls: {secretName: tls}}\ntcpproxy: {services: [{name: s1, port: 80}]}"
                            + "\nroutes: [{match: /, services: [{name: s1, port: 80}]}]"),
                    ir("a", "r1", "virtualhost: {fqdn: x.example.com, tls: {passthrough: true}}\ntcpproxy: {delegate: {name: c2}}"))),
            new Slot("ingressroute b/r2", List.of("",
                    ir("b", "r2", "virtualhost: {fqdn: x.example.com}\nroutes: [{match: /, services: [{name: s2, port: 80}]}]"),
                    ir("b", "r2", "virtualhost: {fqdn: y.example.com, tls: {secretName: a/tls}}\n"
                            + "routes: [{match: /, services: [{name: s2, port: 80}]}, {match: /bar, delegate: {name: c2, namespace: a}}]"),
                    ir("b", "r2", "virtualhost: {fqdn: y.example.com}\nroutes: [{match: /bar, delegate: {name: r1, namespace: a}}]"))),
            new Slot("ingressroute b/c1", List.of("",
                    ir("b", "c1", "routes: [{match: /foo, services: [{name: s2, port: 80}, {name: s1, port: 80}]}]"),
                    ir("b", "c1", "routes: [{match: /foo/x, delegate: {name: c2, namespace: a}}]"),
                    ir("b", "c1", "routes: [{match: /other, services: [{name: s2, port: 80}]}]"),
                    ir("b", "c1", "routes: [{match: /foo, services: [{name: s2, port: 80, healthCheck: {path: /hc}}]}]"))),
            new Slot("ingressroute a/c2", List.of("",
                    ir("a", "c2", "routes: [{match: /, services: [{name: s1, port: 80,"
                            + " validation: {caSecret: ca, subjectName: s1.a}}]}]\ntcpproxy: {services: [{name: s1, port: 9000}]}"),
                    ir("a", "c2", "routes: [{match: /foo/x, delegate: {name: c1, namespace: b}}]"),
                    ir("a", "c2", "routes: [{match: /bar, services: [{name: s1, port: 80}]}, {match: /foo/x, services: [{name: s9, port: 80}]}]"))),
            new Slot("httpproxy a/p1", List.of("",
                    proxy("a", "p1", "virtualhost: {fqdn: z.example.com}\nroutes: [{services: [{name: s1, port: 80}]}]"),
                    proxy("a", "p1", "virtualhost: {fqdn: x.example.com}\nroutes: [{services: [{name: s1, port: 80}]}]"),
                    proxy("a", "p1", "virtualhost: {fqdn: z.example.com, tls: {secretName: tls}}\n"
                            + "includes: [{name: p2, namespace: b, conditions: [{prefix: /p}]}, {name: p4, conditions: [{prefix: /q}]}]"),
                    proxy("a", "p1", "virtualhost: {fqdn: z.example.com, tls: {passthrough: true}}\n"
                            + "tcpproxy: {include: {name: p2, namespace: b}}"))),
            new Slot("httpproxy b/p2", List.of("",
                    proxy("b", "p2", "routes: [{services: [{name: s2, port: 80}, {name: s1, port: 80}]}]"),
                    proxy("b", "p2", "includes: [{name: p4, namespace: a, conditions: [{prefix: /deep}]}]\n"
                            + "routes: [{conditions: [{prefix: /t}], timeoutPolicy: {response: soon}, services: [{name: s2, port: 80}]}]"),
                    proxy("b", "p2", "routes: [{timeoutPolicy: {response: 10s, idle: 1m}, services: [{name: s2, port: 80}]}]\n"
                            + "tcpproxy: {services: [{name: s2, port: 80}]}"))),
            new Slot("httpproxy b/p3", List.of("",
                    proxy("b", "p3", "virtualhost: {fqdn: q.example.com}\nincludes: [{name: p2, conditions: [{prefix: /shared}]}]"),
                    proxy("b", "p3", "virtualhost: {fqdn: z.example.com}\nroutes: [{services: [{name: s2, port: 80}]}]"),
                    proxy("b", "p3", "virtualhost: {fqdn: q.example.com, tls: {secretName: a/tls}}\n"
                            + "includes: [{name: p1, namespace: a}, {name: p4, namespace: a, conditions: [{prefix: /four}]}]"))),
            new Slot("httpproxy a/p4", List.of("",
                    proxy("a", "p4", "routes: [{conditions: [{prefix: /deep}], loadBalancerPolicy: {strategy: Bogus},"
                            + " services: [{name: s1, port: 80}]}]"),
                    proxy("a", "p4", "includes: [{name: p2, namespace: b, conditions: [{prefix: /deep/loop}]}]"))),
            new Slot("ingress a/i1", List.of("", """
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: i1, namespace: a}
                    spec: {rules: [{host: w.example.com, http: {paths: [{path: /, pathType: Prefix,
                      backend: {service: {name: s1, port: {number: 80}}}}]}}]}
                    """, """
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: i1, namespace: a}
                    spec: {defaultBackend: {service: {name: s1, port: {name: http}}}, tls: [{hosts: [x.example.com], secretName: tls}]}
                    """)));

    /** Owners the guard may reject, as it names them. */
    public static final List<String> OWNERS = List.of("IngressRoute a/r1", "IngressRoute b/c1", "IngressRoute a/c2",
            "HTTPProxy a/p1", "HTTPProxy b/p2", "HTTPProxy a/p4", "Ingress a/i1");

    /** Starts a version decoded as the informers decode (a spec of the wrong shape is kept, unreadable): HTTPProxies only. */
    public static final String LENIENT = "# decoded as informers decode\n";

    public static HasMetadata parse(String yaml) {
        if (yaml.startsWith(LENIENT)) {
            return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml.substring(LENIENT.length()), io.isoline.k8s.HTTPProxy.class);
        }
        try {
            List<HasMetadata> objects = ManifestParser.parse(Path.of("slot.yaml"), new StringReader(yaml)).objects();
            assertEquals(1, objects.size(), yaml);
            return objects.get(0);
        } catch (io.isoline.source.ManifestException e) {
            throw new AssertionError(yaml, e);
        }
    }

    public static ClusterState state(Map<String, HasMetadata> objects) {
        ClusterState.Builder b = ClusterState.builder();
        objects.values().forEach(b::add);
        return b.build();
    }

    private final Random random;
    private final List<Slot> slots;
    private final Map<String, HasMetadata> objects = new TreeMap<>();
    private final Map<String, Integer> versions = new LinkedHashMap<>();

    /** Every object at a random version (or absent). */
    public RandomCluster(Random random) {
        this(random, SLOTS);
    }

    /** Every object of {@code slots} at a random version (or absent). */
    public RandomCluster(Random random, List<Slot> slots) {
        this.random = random;
        this.slots = slots;
        for (Slot slot : slots) {
            int v = random.nextInt(slot.versions().size());
            set(slot, v);
        }
    }

    private void set(Slot slot, int v) {
        versions.put(slot.name(), v);
        String yaml = slot.versions().get(v);
        if (yaml.isEmpty()) {
            objects.remove(slot.name());
        } else {
            objects.put(slot.name(), parse(yaml));
        }
    }

    public ClusterState state() {
        return state(objects);
    }

    /** Which version each object is at, for failure messages. */
    public String describe() {
        return versions.toString();
    }

    /** Changes one object: another version (or absent), or the same version read again (a new instance). */
    public void change() {
        int pick = random.nextInt(slots.stream().mapToInt(Slot::weight).sum());
        Slot slot = slots.get(0);
        for (Slot s : slots) {
            slot = s;
            pick -= s.weight();
            if (pick < 0) {
                break;
            }
        }
        set(slot, random.nextInt(4) == 0 ? versions.get(slot.name()) : random.nextInt(slot.versions().size()));
    }

    /** Sometimes one object rejected by the guard, mostly none. */
    public Map<String, String> rejected() {
        Map<String, String> rejected = new TreeMap<>();
        if (random.nextInt(5) == 0) {
            rejected.put(OWNERS.get(random.nextInt(OWNERS.size())), "rejected for Envoy");
        }
        return rejected;
    }
}
