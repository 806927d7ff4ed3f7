/**
 * Sources turn the outside world into {@link io.isoline.state.ClusterState}: manifest files (for
 * {@code translate} and standalone {@code serve}) and, in Kubernetes mode, the operator's
 * reconcilers. Sources only record objects; they never translate.
 */
package io.isoline.source;
