package io.isoline.source;

import io.isoline.k8s.TLSCertificateDelegationV1;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** TLSCertificateDelegations of {@code projectcontour.io/v1}: recorded in the {@link StateStore} by the informer. */
@ControllerConfiguration(name = "tlscertificatedelegations-v1",
        informer = @Informer(itemStore = StoreBackedItemStores.DelegationsV1.class))
public class TlsCertificateDelegationV1Reconciler implements Reconciler<TLSCertificateDelegationV1> {

    @Override
    public UpdateControl<TLSCertificateDelegationV1> reconcile(TLSCertificateDelegationV1 resource,
            Context<TLSCertificateDelegationV1> context) {
        return UpdateControl.noUpdate();
    }
}
