package io.isoline.dag;

import java.util.Set;

/**
 * Settings that change what the core builds; {@code serve} and {@code translate} take the same ones.
 *
 * @param ingressClassName  null: serve objects without a class, of class {@code isoline}, or of an
 *                          IngressClass naming Isoline's controller; otherwise only objects of this class
 * @param minimumTlsVersion used where an object asks for none, or for one we do not support
 * @param rootNamespaces    namespaces where root IngressRoutes may live; empty = anywhere
 * @param ingressRoutesOnRootHosts let Ingresses add routes to hosts root IngressRoutes own (never
 *                          their certificates); off by default, as it lets any namespace's Ingress
 *                          serve paths on a root's host
 * @param contourClass      with no class configured, also serve Contour's: class {@code contour} and
 *                          IngressClasses naming Contour's controller (to replace Contour in place);
 *                          off by default, so Isoline beside Contour takes none of Contour's objects
 * @param externalNameServices let ExternalName Services be backends (DNS clusters); off by default,
 *                          as in Contour 1.18+: whoever may create a Service could point Envoy at
 *                          itself or at names only the cluster network reaches ({@link ExternalNames})
 * @param disablePermitInsecure ignore IngressRoutes' {@code permitInsecure} (Contour's flag): every route
 *                          of a TLS host redirects plain HTTP
 * @param fallbackCertificate {@code namespace/name} of the certificate for TLS clients that send no
 *                          (or an unknown) SNI name, served for the HTTPProxies that enable it; null: none
 * @param conflictingRootsInvalid Contour's rule for roots claiming one fqdn: every one of them is
 *                          invalid and none is served; off by default (the oldest keeps the host), as
 *                          Contour's rule lets whoever may create a root take any host offline
 */
public record DagOptions(String ingressClassName, TlsVersion minimumTlsVersion, Set<String> rootNamespaces,
        boolean ingressRoutesOnRootHosts, boolean contourClass, boolean externalNameServices, boolean disablePermitInsecure,
        String fallbackCertificate, boolean conflictingRootsInvalid) {

    public static final DagOptions DEFAULT = new DagOptions(null, TlsVersion.TLS_1_2, Set.of());

    public DagOptions {
        rootNamespaces = rootNamespaces == null ? Set.of() : Set.copyOf(rootNamespaces);
    }

    public DagOptions(String ingressClassName, TlsVersion minimumTlsVersion, Set<String> rootNamespaces) {
        this(ingressClassName, minimumTlsVersion, rootNamespaces, false, false, false, false, null, false);
    }

    public DagOptions(String ingressClassName, TlsVersion minimumTlsVersion, Set<String> rootNamespaces,
            boolean ingressRoutesOnRootHosts) {
        this(ingressClassName, minimumTlsVersion, rootNamespaces, ingressRoutesOnRootHosts, false, false, false, null, false);
    }

    public DagOptions withExternalNameServices(boolean enabled) {
        return new DagOptions(ingressClassName, minimumTlsVersion, rootNamespaces, ingressRoutesOnRootHosts, contourClass, enabled,
                disablePermitInsecure, fallbackCertificate, conflictingRootsInvalid);
    }

    public DagOptions withFallbackCertificate(String namespaceName) {
        return new DagOptions(ingressClassName, minimumTlsVersion, rootNamespaces, ingressRoutesOnRootHosts, contourClass,
                externalNameServices, disablePermitInsecure, namespaceName, conflictingRootsInvalid);
    }

    public DagOptions withConflictingRootsInvalid(boolean invalid) {
        return new DagOptions(ingressClassName, minimumTlsVersion, rootNamespaces, ingressRoutesOnRootHosts, contourClass,
                externalNameServices, disablePermitInsecure, fallbackCertificate, invalid);
    }

    /** Whether a root IngressRoute may live in {@code namespace} (any namespace when none are configured). */
    public boolean rootAllowedIn(String namespace) {
        return rootNamespaces.isEmpty() || rootNamespaces.contains(namespace);
    }
}
