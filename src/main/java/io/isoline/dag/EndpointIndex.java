package io.isoline.dag;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.isoline.dag.EndpointGroup.Endpoint;
import io.isoline.state.ClusterState;
import io.isoline.state.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Finds the ready endpoints of a Service port. EndpointSlices (linked by the
 * {@code kubernetes.io/service-name} label) are preferred; a Service with no slice at all falls back
 * to its legacy Endpoints object. A slice port is matched by the Service port's name, and its number
 * is the resolved target port, whether the Service's {@code targetPort} was numeric or named.
 * Several slices are merged; addresses that are not ready are left out.
 */
final class EndpointIndex {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final Comparator<Endpoint> ORDER =
            Comparator.comparing(Endpoint::address).thenComparingInt(Endpoint::port);

    private final ClusterState state;
    private final DagCache cache;
    private final Map<ObjectKey, Endpoints> endpoints;
    private final Reads reads;

    EndpointIndex(ClusterState state, DagCache cache, Reads reads) {
        this.state = state;
        this.cache = cache;
        this.reads = reads;
        this.endpoints = state.endpoints();
    }

    /** The Service that slice {@code s} (at {@code key}) belongs to, by its label; null when none (or no slice). */
    static ObjectKey serviceOf(ObjectKey key, EndpointSlice s) {
        Map<String, String> labels = s == null ? null : s.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return service == null ? null : new ObjectKey(key.namespace(), service);
    }

    /** Every slice by its Service: built on the first use, then kept up to date by the cache from what changed. */
    private Map<ObjectKey, List<EndpointSlice>> slicesByService() {
        return cache.slicesByService(() -> {
            Map<ObjectKey, List<EndpointSlice>> all = new HashMap<>();
            state.endpointSlices().forEach((key, slice) -> {
                ObjectKey service = serviceOf(key, slice);
                if (service != null) {
                    all.computeIfAbsent(service, k -> new ArrayList<>()).add(slice);
                }
            });
            return all;
        });
    }

    /** Ready endpoints of the Service port named {@code portName} ("" for an unnamed port), sorted. */
    List<Endpoint> endpoints(ObjectKey service, String portName) {
        TreeSet<Endpoint> out = new TreeSet<>(ORDER);
        List<EndpointSlice> slices = reads.read(Reads.Source.SLICES, service, slicesByService().get(service));
        if (slices != null) {
            for (EndpointSlice slice : slices) {
                addFromSlice(slice, portName, out);
            }
        } else {
            Endpoints legacy = reads.read(Reads.Source.ENDPOINTS, service, endpoints.get(service));
            if (legacy != null) {
                addFromEndpoints(legacy, portName, out);
            }
        }
        return List.copyOf(out);
    }

    private static void addFromSlice(EndpointSlice slice, String portName, TreeSet<Endpoint> out) {
        if (slice.getAddressType() != null && slice.getAddressType().equals("FQDN")) {
            return;
        }
        Integer port = null;
        for (var p : nullSafe(slice.getPorts())) {
            if (Objects.equals(emptyIfNull(p.getName()), portName) && p.getPort() != null) {
                port = p.getPort();
            }
        }
        if (port == null) {
            return;
        }
        for (var e : nullSafe(slice.getEndpoints())) {
            boolean ready = e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady());
            if (ready) {
                for (String address : nullSafe(e.getAddresses())) {
                    if (usable(address, port)) {
                        out.add(new Endpoint(address, port));
                    }
                }
            }
        }
    }

    private static void addFromEndpoints(Endpoints eps, String portName, TreeSet<Endpoint> out) {
        for (EndpointSubset subset : nullSafe(eps.getSubsets())) {
            for (EndpointPort p : nullSafe(subset.getPorts())) {
                if (Objects.equals(emptyIfNull(p.getName()), portName) && p.getPort() != null) {
                    for (EndpointAddress a : nullSafe(subset.getAddresses())) {
                        if (usable(a.getIp(), p.getPort())) {
                            out.add(new Endpoint(a.getIp(), p.getPort()));
                        }
                    }
                }
            }
        }
    }

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final java.util.regex.Pattern IPV6_CHARS = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+");

    /**
     * An IP literal and a port Envoy accepts (anything else in one assignment would make Envoy reject
     * the update). The API server validates these; manifest files and older objects need not be.
     */
    static boolean usable(String address, Integer port) {
        if (address == null || port == null || port < 1 || port > 65535) {
            return false;
        }
        if (IPV4.matcher(address).matches()) {
            return true;
        }
        if (!address.contains(":") || !IPV6_CHARS.matcher(address).matches()) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address; // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static String emptyIfNull(String s) {
        return s == null ? "" : s;
    }

    /** The list without null elements (a list the API holds may contain them: {@code [null]}); empty for null. */
    static <T> List<T> nullSafe(List<T> list) {
        if (list == null) {
            return List.of();
        }
        return list.contains(null) ? list.stream().filter(java.util.Objects::nonNull).toList() : list;
    }
}
