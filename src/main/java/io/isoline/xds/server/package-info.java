/**
 * Serving: publishes translated resources through java-control-plane's snapshot cache and exposes
 * the xDS gRPC services (ADS and per-type, state-of-the-world and delta) on the Quarkus gRPC server.
 * Thin wiring: what to send is decided in {@code io.isoline.xds.translate}, never here.
 */
package io.isoline.xds.server;
