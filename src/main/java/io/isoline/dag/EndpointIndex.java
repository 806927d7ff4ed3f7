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

    private final Map<ObjectKey, List<EndpointSlice>> slicesByService = new HashMap<>();
    private final Map<ObjectKey, Endpoints> endpoints;

    EndpointIndex(ClusterState state) {
        state.endpointSlices().forEach((key, slice) -> {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (service != null) {
                slicesByService.computeIfAbsent(new ObjectKey(key.namespace(), service), k -> new ArrayList<>())
                        .add(slice);
            }
        });
        this.endpoints = state.endpoints();
    }

    /** Ready endpoints of the Service port named {@code portName} ("" for an unnamed port), sorted. */
    List<Endpoint> endpoints(ObjectKey service, String portName) {
        TreeSet<Endpoint> out = new TreeSet<>(ORDER);
        List<EndpointSlice> slices = slicesByService.get(service);
        if (slices != null) {
            for (EndpointSlice slice : slices) {
                addFromSlice(slice, portName, out);
            }
        } else if (endpoints.containsKey(service)) {
            addFromEndpoints(endpoints.get(service), portName, out);
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
                    out.add(new Endpoint(address, port));
                }
            }
        }
    }

    private static void addFromEndpoints(Endpoints eps, String portName, TreeSet<Endpoint> out) {
        for (EndpointSubset subset : nullSafe(eps.getSubsets())) {
            for (EndpointPort p : nullSafe(subset.getPorts())) {
                if (Objects.equals(emptyIfNull(p.getName()), portName) && p.getPort() != null) {
                    for (EndpointAddress a : nullSafe(subset.getAddresses())) {
                        out.add(new Endpoint(a.getIp(), p.getPort()));
                    }
                }
            }
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
