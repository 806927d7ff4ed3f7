/**
 * Migration: IngressRoute manifests (contour.heptio.com/v1beta1) turned into the HTTPProxy
 * manifests (projectcontour.io/v1) that serve the same, as Contour's retired {@code ir2proxy} did,
 * with a note for everything that cannot be carried over exactly. Pure: objects in, objects out.
 */
package io.isoline.convert;
