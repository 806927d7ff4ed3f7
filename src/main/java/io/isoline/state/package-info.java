/**
 * The reconciled-state store's value type: {@link io.isoline.state.ClusterState}, an immutable,
 * ordered snapshot of the Kubernetes objects Isoline reads. Sources build it; the core reads it.
 * Depends only on fabric8's model classes and the CRD classes in {@code io.isoline.k8s}: no client, no I/O, no gRPC.
 */
package io.isoline.state;
