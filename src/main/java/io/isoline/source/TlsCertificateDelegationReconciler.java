package io.isoline.source;

import io.isoline.k8s.TLSCertificateDelegation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** TLSCertificateDelegations: recorded in the {@link StateStore} by the informer, like IngressRoutes. */
@ControllerConfiguration(name = "tlscertificatedelegations",
        informer = @Informer(itemStore = StoreBackedItemStores.Delegations.class))
public class TlsCertificateDelegationReconciler implements Reconciler<TLSCertificateDelegation> {

    @Override
    public UpdateControl<TLSCertificateDelegation> reconcile(TLSCertificateDelegation resource,
            Context<TLSCertificateDelegation> context) {
        return UpdateControl.noUpdate();
    }
}
