/**
 * Pure translation of the {@link io.isoline.dag.Dag} into Envoy v3 resources, one translator per xDS
 * type, and {@link io.isoline.xds.translate.ConfigTranslator}, the whole pipeline shared by
 * {@code translate} and {@code serve}. Output is sorted and versioned by content.
 *
 * <p>Imports only {@code io.isoline.dag}, {@code io.isoline.state} and Envoy's protos: no gRPC, no
 * Kubernetes client, no I/O.
 */
package io.isoline.xds.translate;
