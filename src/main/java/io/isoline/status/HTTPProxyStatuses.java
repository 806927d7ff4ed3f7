package io.isoline.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.isoline.dag.ObjectStatus;
import io.isoline.k8s.HTTPProxy;
import io.isoline.k8s.HTTPProxyStatus;
import io.isoline.source.StateStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An HTTPProxy's status as Contour writes it: {@code currentStatus}, {@code description}, and one
 * {@code Valid} condition (True with reason {@code Valid}, or False with reason
 * {@code ErrorPresent}) carrying the errors and warnings as sub-conditions, with the object's
 * generation and the time it last changed; and on valid roots {@code loadBalancer}, Envoy's
 * addresses (as on Ingresses). Written only when something in it changed.
 */
final class HTTPProxyStatuses {

    static final String VALID_MESSAGE = "Valid HTTPProxy";
    static final String ERROR_MESSAGE = "At least one error present, see Errors for details";

    private HTTPProxyStatuses() {
    }

    /**
     * @param addresses Envoy's load-balancer addresses for a valid root's {@code status.loadBalancer};
     *                  null when none is configured (then it is left as it is)
     */
    static void write(ObjectStatus s, StateStore store, KubernetesClient client, BiConsumer<String, Runnable> patch,
            List<io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress> addresses) {
        HTTPProxy current = store.itemStore(HTTPProxy.class).get(s.namespace() + "/" + s.name());
        if (current == null) {
            return;
        }
        Long generation = current.getMetadata().getGeneration();
        HTTPProxyStatus have = current.getStatus();
        HTTPProxyStatus want = status(s, generation, have, Instant.now());
        boolean root = current.getSpec() != null && current.getSpec().virtualhost != null;
        if (addresses == null) {
            want.loadBalancer = have == null ? null : have.loadBalancer;
        } else if (root && s.currentStatus().equals(ObjectStatus.VALID)) {
            want.loadBalancer = new io.fabric8.kubernetes.api.model.LoadBalancerStatus(addresses.stream()
                    .map(a -> new io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder().withIp(a.getIp())
                            .withHostname(a.getHostname()).build()).toList());
        }
        if (same(have, want)) {
            return;
        }
        patch.accept("HTTPProxy " + s.namespace() + "/" + s.name(), () -> StatusWriter.replaceStatus(client.resources(HTTPProxy.class)
                .inNamespace(s.namespace()).withName(s.name()), want));
    }

    /** The status for {@code s}; the transition time stays {@code have}'s while the condition's status does not change. */
    static HTTPProxyStatus status(ObjectStatus s, Long generation, HTTPProxyStatus have, Instant now) {
        HTTPProxyStatus status = new HTTPProxyStatus();
        status.currentStatus = s.currentStatus();
        status.description = s.description();
        HTTPProxyStatus.DetailedCondition valid = new HTTPProxyStatus.DetailedCondition();
        valid.type = "Valid";
        boolean ok = s.errors().isEmpty();
        valid.status = ok ? "True" : "False";
        valid.reason = ok ? "Valid" : "ErrorPresent";
        valid.message = ok ? VALID_MESSAGE : ERROR_MESSAGE;
        valid.observedGeneration = generation;
        valid.errors = sub(s.errors());
        valid.warnings = sub(s.warnings());
        HTTPProxyStatus.DetailedCondition before = have == null || have.conditions == null ? null
                : have.conditions.stream().filter(c -> "Valid".equals(c.type)).findFirst().orElse(null);
        valid.lastTransitionTime = before != null && valid.status.equals(before.status) && before.lastTransitionTime != null
                ? before.lastTransitionTime : now.truncatedTo(ChronoUnit.SECONDS).toString();
        status.conditions = List.of(valid);
        return status;
    }

    private static List<HTTPProxyStatus.SubCondition> sub(List<ObjectStatus.Problem> problems) {
        if (problems.isEmpty()) {
            return null;
        }
        return problems.stream().map(p -> {
            HTTPProxyStatus.SubCondition c = new HTTPProxyStatus.SubCondition();
            c.type = p.type();
            c.status = "True";
            c.reason = p.reason();
            c.message = p.message();
            return c;
        }).toList();
    }

    /** Whether writing {@code want} would change what {@code have} says (transition times aside). */
    static boolean same(HTTPProxyStatus have, HTTPProxyStatus want) {
        if (have == null || have.conditions == null || have.conditions.size() != 1) {
            return false;
        }
        HTTPProxyStatus.DetailedCondition a = have.conditions.get(0);
        HTTPProxyStatus.DetailedCondition b = want.conditions.get(0);
        return Objects.equals(have.currentStatus, want.currentStatus) && Objects.equals(have.description, want.description)
                && Objects.equals(have.loadBalancer, want.loadBalancer)
                && Objects.equals(a.status, b.status) && Objects.equals(a.reason, b.reason)
                && Objects.equals(a.observedGeneration, b.observedGeneration)
                && Objects.equals(text(a.errors), text(b.errors)) && Objects.equals(text(a.warnings), text(b.warnings));
    }

    private static List<String> text(List<HTTPProxyStatus.SubCondition> list) {
        return list == null ? List.of() : list.stream().map(c -> c.type + "|" + c.reason + "|" + c.message).toList();
    }
}
