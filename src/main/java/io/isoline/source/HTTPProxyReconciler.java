package io.isoline.source;

import io.isoline.k8s.HTTPProxy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** HTTPProxies: recorded in the {@link StateStore} by the informer, like IngressRoutes; statuses come from the status writer. */
@ControllerConfiguration(name = "httpproxies", informer = @Informer(itemStore = StoreBackedItemStores.HTTPProxies.class))
public class HTTPProxyReconciler implements Reconciler<HTTPProxy> {

    @Override
    public UpdateControl<HTTPProxy> reconcile(HTTPProxy resource, Context<HTTPProxy> context) {
        return UpdateControl.noUpdate();
    }
}
