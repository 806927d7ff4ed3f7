/**
 * Status write-back: the leader-only {@link io.isoline.status.StatusWriter} (IngressRoute status,
 * Ingress load-balancer status) and {@link io.isoline.status.LeaderElection}. Statuses are computed
 * by the core during the build; this package only compares and patches, off the publish path.
 */
package io.isoline.status;
