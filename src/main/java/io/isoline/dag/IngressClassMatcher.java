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
 * name only that class is served. Without one: objects with no class, class {@code isoline}, and
 * classes whose IngressClass object names Isoline's controller; Contour's class and controller too
 * only when asked ({@code --serve-contour-class}), so Isoline beside Contour never takes its objects.
 */
final class IngressClassMatcher {

    private final ClusterState state;
    private final String configured;
    private final boolean contour;

    IngressClassMatcher(ClusterState state, DagOptions options) {
        this.state = state;
        String name = options.ingressClassName();
        this.configured = name == null || name.isBlank() ? null : name;
        this.contour = options.contourClass();
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
        if (cls == null || cls.isEmpty() || cls.equals(Annotations.DEFAULT_CLASS_NAME) || contour && cls.equals(Annotations.CONTOUR_CLASS_NAME)) {
            return true;
        }
        IngressClass ic = state.ingressClasses().get(cls);
        String controller = ic == null || ic.getSpec() == null ? null : ic.getSpec().getController();
        return Annotations.CONTROLLER_NAME.equals(controller) || contour && Annotations.CONTOUR_CONTROLLER_NAME.equals(controller);
    }
}
