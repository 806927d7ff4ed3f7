package io.isoline.dag;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which {@code spec.externalName}s of an ExternalName Service Envoy may be sent to. Envoy resolves
 * the name itself and connects from its own network namespace, so a name that leads to its loopback
 * reaches its admin interface (Contour's GHSA-5ph6-qq5x-7jwc), a link-local address reaches the
 * cloud's metadata service, and cluster DNS names reach other namespaces' Services and any pod IP.
 * Refused here: anything that is not a DNS name (Kubernetes' DNS-1123 subdomain rule), IP literals
 * in any spelling a resolver accepts (a numeric last label: {@code 127.0.0.1}, {@code 2130706433},
 * {@code 0x7f.1}; a hex one: {@code 0x7f000001}), any {@code localhost} label, pod DNS names
 * ({@code 1-2-3-4.ns.pod...}), and Service DNS names ({@code svc.ns.svc...}) of another namespace.
 * A public name that resolves to loopback cannot be seen here: that is why the feature is opt-in.
 */
final class ExternalNames {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+|0x[0-9a-f]*");

    private ExternalNames() {
    }

    /** Why {@code name} (of a Service in {@code namespace}) may not be a backend, or null when it may. */
    static String problem(String name, String namespace) {
        if (name == null || name.isEmpty()) {
            return "has no spec.externalName";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String[] labels = lower.split("\\.", -1);
        boolean dnsName = name.length() <= 253 && java.util.Arrays.stream(labels)
                .allMatch(l -> l.length() <= 63 && LABEL.matcher(l).matches());
        if (!dnsName) {
            return "has a spec.externalName that is not a DNS name (labels of letters, digits and '-', joined by '.')";
        }
        if (NUMERIC.matcher(labels[labels.length - 1]).matches()) {
            return "has spec.externalName " + name + ", an IP address: use a Service without a selector and an EndpointSlice";
        }
        if (java.util.Arrays.asList(labels).contains("localhost")) {
            return "has spec.externalName " + name + ", which leads to Envoy's own loopback";
        }
        if (labels.length >= 3 && labels[2].equals("pod")) {
            return "has spec.externalName " + name + ", a pod DNS name (it resolves to any address it spells)";
        }
        if (labels.length >= 3 && labels[2].equals("svc") && !labels[1].equals(namespace)) {
            return "has spec.externalName " + name + ", a Service of namespace " + labels[1]
                    + ": a Service may lead only to its own namespace";
        }
        return null;
    }
}
