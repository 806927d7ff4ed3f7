/**
 * {@code certgen}: the certificates that lock xDS down to mutual TLS with no manual step (as
 * Contour's {@code contour certgen}): a CA, a server certificate for the controller's Service and a
 * client certificate for Envoy, written as files or as kubernetes.io/tls Secrets. {@link XdsCertificates}
 * issues them (no I/O); {@code CertgenCommand} in {@code cli} writes them.
 */
package io.isoline.certgen;
