/**
 * Serving: publishes translated resources through java-control-plane's snapshot cache and exposes
 * the xDS gRPC services (ADS and per-type, state-of-the-world and delta) on the Quarkus gRPC server.
 * What to send is decided in {@code io.isoline.xds.translate}, never here; this package decides how
 * and when: watchers layered over the cache ({@code EndpointUpdates} for per-cluster EDS,
 * {@code LenientAdsWatcher} for names that no longer exist, {@code NackAwareWatcher} for rejected versions) and
 * interceptors ({@code ClientCertificateCheck}, {@code RequestBounds}, {@code NodeOnEveryRequest});
 * {@code ResourceSerializer} packs each resource once for every stream.
 */
package io.isoline.xds.server;
