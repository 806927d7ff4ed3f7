/**
 * The pure core: {@code ClusterState -> Dag}. Resolves Ingress, IngressRoute and HTTPProxy objects into
 * virtual hosts, routes, clusters, endpoints and TLS secrets, validates them, and gives every object
 * a status. No I/O, no logging, no clocks: the same input always gives an equal output.
 *
 * <p>Must not depend on fabric8's client, the Java Operator SDK, gRPC or Envoy's protos; fabric8
 * model classes (read through {@link io.isoline.state.ClusterState}) are the only outside types.
 */
package io.isoline.dag;
