package io.isoline.dag;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.isoline.k8s.Annotations;
import io.isoline.state.ClusterState;
import java.util.ArrayList;

/**
 * Decides whether an Ingress is ours. Its class is the first class annotation set (Contour's, then
 * {@code kubernetes.io/ingress.class}), else {@code spec.ingressClassName}. With a configured class
 * name only that class is served. Without one: objects with no class, Contour's default class, and
 * classes whose IngressClass object names Contour's or Isoline's controller.
 */
final class IngressClassMatcher {

    private final ClusterState state;
    private final String configured;

    IngressClassMatcher(ClusterState state, String configured) {
        this.state = state;
        this.configured = configured == null || configured.isBlank() ? null : configured;
    }

    boolean serves(Ingress ingress) {
        return serves(ingress, ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName());
    }

    /** For objects whose class is only given by annotation (IngressRoute), or by {@code specClass}. */
    boolean serves(HasMetadata object, String specClass) {
        String cls = new AnnotationReader(object.getMetadata().getAnnotations(), "", new ArrayList<>())
                .first(Annotations.INGRESS_CLASS)
                .orElse(specClass);
        if (configured != null) {
            return configured.equals(cls);
        }
        if (cls == null || cls.isEmpty() || Annotations.DEFAULT_CLASS_NAMES.contains(cls)) {
            return true;
        }
        IngressClass ic = state.ingressClasses().get(cls);
        return ic != null && ic.getSpec() != null && Annotations.CONTROLLER_NAMES.contains(ic.getSpec().getController());
    }
}
