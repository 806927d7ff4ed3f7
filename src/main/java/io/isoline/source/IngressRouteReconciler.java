package io.isoline.source;

import io.isoline.k8s.IngressRoute;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * IngressRoutes. The controller's informer records every IngressRoute in the {@link StateStore}
 * (its cache is the store's), which marks the state dirty for the one rebuild path; so reconcile
 * has nothing left to do. It never translates, and statuses are written after the rebuild by the
 * status writer, not here.
 */
@ControllerConfiguration(name = "ingressroutes", informer = @Informer(itemStore = StoreBackedItemStores.IngressRoutes.class))
public class IngressRouteReconciler implements Reconciler<IngressRoute> {

    @Override
    public UpdateControl<IngressRoute> reconcile(IngressRoute resource, Context<IngressRoute> context) {
        return UpdateControl.noUpdate();
    }
}
