/**
 * Envoy's own acceptance rules, checked before anything is published: {@link
 * io.isoline.xds.validate.ProtoConstraints} reads the {@code validate.rules} annotations of Envoy's
 * API from the message descriptors and checks a resource against them, as Envoy does on receipt.
 *
 * <p>Pure: imports only protobuf and Envoy's API classes.
 */
package io.isoline.xds.validate;
