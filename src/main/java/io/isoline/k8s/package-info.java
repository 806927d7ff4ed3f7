/**
 * Kubernetes-facing names and types: the annotations and controller names of Contour's object
 * model, and the CRD classes for IngressRoute, HTTPProxy and TLSCertificateDelegation (both groups). Constants and
 * model classes only: no client calls and no logic.
 */
package io.isoline.k8s;
