/**
 * Status write-back: the leader-only {@link io.isoline.status.StatusWriter} (IngressRoute status,
 * HTTPProxy status with Contour's conditions, Ingress load-balancer status) and {@link io.isoline.status.LeaderElection}. Statuses are computed
 * by the core during the build; this package only compares and patches, off the publish path.
 */
package io.isoline.status;
