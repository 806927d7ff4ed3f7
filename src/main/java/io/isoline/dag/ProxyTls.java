package io.isoline.dag;

import io.isoline.dag.HostTable.TlsBinding;
import io.isoline.k8s.HTTPProxySpec;
import io.isoline.state.ObjectKey;

/**
 * An HTTPProxy root's {@code virtualhost.tls}, with Contour's reasons and messages: the certificate
 * (this namespace's, or delegated), the protocol versions (never below the operator's minimum) and
 * client certificate validation (a CA and a CRL, each this namespace's or delegated).
 */
final class ProxyTls {

    private ProxyTls() {
    }

    /** The root's TLS binding (no TCP proxy yet), or null with the error reported. */
    static TlsBinding binding(BuildContext ctx, ProxyReport r, ObjectKey key, HTTPProxySpec.Tls tls) {
        boolean passthrough = Boolean.TRUE.equals(tls.passthrough);
        boolean terminate = tls.secretName != null && !tls.secretName.isBlank();
        if (passthrough && terminate) {
            r.error("TLSError", "TLSConfigNotValid", "Spec.VirtualHost.TLS: both Passthrough and SecretName were specified");
            return null;
        }
        if (!passthrough && !terminate) {
            r.error("TLSError", "TLSConfigNotValid", "Spec.VirtualHost.TLS: neither Passthrough nor SecretName were specified");
            return null;
        }
        if (passthrough && tls.clientValidation != null) {
            r.error("TLSError", "TLSIncompatibleFeatures", "Spec.VirtualHost.TLS passthrough cannot be combined with tls.clientValidation");
            return null;
        }
        TlsVersion min = ctx.minimumTls(TlsVersion.parse(tls.minimumProtocolVersion));
        TlsVersion max = TlsVersion.parse(tls.maximumProtocolVersion).orElse(TlsVersion.TLS_1_3);
        if (max.compareTo(min) < 0) {
            boolean raised = TlsVersion.parse(tls.minimumProtocolVersion).map(asked -> asked != min).orElse(true);
            r.error("TLSError", "TLSConfigNotValid", "Spec.Virtualhost.TLS the minimum protocol version is greater than the maximum "
                    + "protocol version" + (raised ? " (the operator's minimum is " + min.text() + ")" : ""));
            return null;
        }
        TlsSecret secret = null;
        if (terminate) {
            var v = ctx.secrets.validateFor(ObjectKey.parse(tls.secretName, key.namespace()), key.namespace());
            if (v.secret() == null) {
                boolean delegation = v.error().startsWith(SecretValidator.DELEGATION_MISSING);
                r.error("TLSError", delegation ? "DelegationNotPermitted" : "SecretNotValid", delegation
                        ? "Spec.VirtualHost.TLS Secret \"" + tls.secretName + "\" certificate delegation not permitted"
                        : "Spec.VirtualHost.TLS Secret \"" + tls.secretName + "\" is invalid: " + v.error());
                return null;
            }
            secret = v.secret();
        }
        DownstreamTls.ClientValidation client = null;
        if (tls.clientValidation != null) {
            client = clientValidation(ctx, r, key, tls.clientValidation);
            if (client == null) {
                return null;
            }
        }
        TlsSecret fallback = null;
        if (terminate && Boolean.TRUE.equals(tls.enableFallbackCertificate)) {
            fallback = fallback(ctx, r, key, tls);
            if (fallback == null) {
                return null;
            }
        }
        return new TlsBinding(secret, new DownstreamTls(min, max, client, fallback), HTTPProxyProcessor.OWNER_PREFIX + key, null);
    }

    /** The operator's fallback certificate for a root that enables it, or null with Contour's error. */
    private static TlsSecret fallback(BuildContext ctx, ProxyReport r, ObjectKey key, HTTPProxySpec.Tls tls) {
        if (tls.clientValidation != null) {
            // A client without SNI would otherwise reach the host without being asked for a certificate.
            r.error("TLSError", "TLSIncompatibleFeatures", "Spec.Virtualhost.TLS fallback & client validation are incompatible");
            return null;
        }
        String name = ctx.options.fallbackCertificate();
        if (name == null) {
            r.error("TLSError", "FallbackNotPresent", "Spec.Virtualhost.TLS enabled fallback but the fallback Certificate Secret is "
                    + "not configured (--fallback-certificate)");
            return null;
        }
        var v = ctx.secrets.validateFor(ObjectKey.parse(name, key.namespace()), key.namespace());
        if (v.secret() != null) {
            return v.secret();
        }
        if (v.error().startsWith(SecretValidator.DELEGATION_MISSING)) {
            r.error("TLSError", "FallbackNotDelegated", "Spec.VirtualHost.TLS Secret \"" + name + "\" is not configured for "
                    + "certificate delegation");
        } else {
            r.error("TLSError", "FallbackNotValid", "Spec.Virtualhost.TLS Secret \"" + name + "\" fallback certificate is invalid: "
                    + v.error());
        }
        return null;
    }

    private static DownstreamTls.ClientValidation clientValidation(BuildContext ctx, ProxyReport r, ObjectKey key,
            HTTPProxySpec.ClientValidation c) {
        boolean skip = Boolean.TRUE.equals(c.skipClientCertValidation);
        String ca = null;
        if (c.caSecret != null && !c.caSecret.isBlank()) {
            ca = secret(ctx.secrets.caBundleFor(ObjectKey.parse(c.caSecret, key.namespace()), key.namespace()), r, "CA", c.caSecret);
            if (ca == null) {
                return null;
            }
        } else if (!skip) {
            // Contour reports this and goes on; Envoy would then reject the listener for everyone.
            r.error("TLSError", "ClientValidationInvalid", "Spec.VirtualHost.TLS client validation is invalid: CA Secret must be specified");
            return null;
        }
        String crl = null;
        if (c.crlSecret != null && !c.crlSecret.isBlank()) {
            crl = secret(ctx.secrets.crlFor(ObjectKey.parse(c.crlSecret, key.namespace()), key.namespace()), r, "CRL", c.crlSecret);
            if (crl == null) {
                return null;
            }
        }
        HTTPProxySpec.ForwardClientCertificate f = c.forwardClientCertificate;
        DownstreamTls.ForwardDetails forward = f == null ? null : new DownstreamTls.ForwardDetails(on(f.subject), on(f.cert), on(f.chain),
                on(f.dns), on(f.uri));
        return new DownstreamTls.ClientValidation(ca, skip, on(c.optionalClientCertificate), crl, on(c.onlyVerifyLeafCertCrl), forward);
    }

    /** The PEM, or null with Contour's error for a {@code what} ("CA", "CRL") Secret it cannot use. */
    private static String secret(SecretValidator.CaBundle b, ProxyReport r, String what, String name) {
        if (b.pem() != null) {
            return b.pem();
        }
        if (b.error().startsWith(SecretValidator.DELEGATION_MISSING)) {
            r.error("TLSError", "DelegationNotPermitted", "Spec.VirtualHost.TLS " + what + " Secret \"" + name + "\" is invalid: " + b.error());
        } else {
            r.error("TLSError", "ClientValidationInvalid", "Spec.VirtualHost.TLS client validation is invalid: invalid " + what + " Secret \""
                    + name + "\": " + b.error());
        }
        return null;
    }

    private static boolean on(Boolean b) {
        return Boolean.TRUE.equals(b);
    }
}
