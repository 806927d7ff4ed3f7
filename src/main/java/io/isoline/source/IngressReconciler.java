package io.isoline.source;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;

/**
 * Ingresses, and the informer event sources for what every primary references: Services,
 * EndpointSlices, Endpoints, Secrets (namespaces as the controller) and IngressClasses (cluster
 * scoped). Each informer's cache is the {@link StateStore}'s store for its kind.
 *
 * <p>The secondary-to-primary mappers map to no primary on purpose: the core rebuilds the whole
 * state from the store on every change, so a Service change only needs to mark the state dirty
 * (which the store does); re-reconciling the primaries that use it would change nothing.
 */
@ControllerConfiguration(name = "ingresses", informer = @Informer(itemStore = StoreBackedItemStores.Ingresses.class))
public class IngressReconciler implements Reconciler<Ingress> {

    @Inject
    StateStore store;

    @Override
    public UpdateControl<Ingress> reconcile(Ingress resource, Context<Ingress> context) {
        return UpdateControl.noUpdate();
    }

    @Override
    public List<EventSource<?, Ingress>> prepareEventSources(EventSourceContext<Ingress> context) {
        return List.of(
                namespaced(Service.class, context),
                namespaced(EndpointSlice.class, context),
                namespaced(Endpoints.class, context),
                namespaced(Secret.class, context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(IngressClass.class, Ingress.class)
                        .withName("ingressclasses")
                        .withWatchAllNamespaces()
                        .withItemStore(store.itemStore(IngressClass.class))
                        .withSecondaryToPrimaryMapper(r -> Set.of())
                        .build(), context));
    }

    private <R extends HasMetadata> EventSource<R, Ingress> namespaced(Class<R> kind, EventSourceContext<Ingress> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, Ingress.class)
                .withName(kind.getSimpleName().toLowerCase())
                .withNamespacesInheritedFromController()
                .withItemStore(store.itemStore(kind))
                .withSecondaryToPrimaryMapper(r -> Set.of())
                .build(), context);
    }
}
