package io.isoline.xds.translate;

import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.isoline.dag.Dag;
import io.isoline.dag.TlsSecret;
import java.util.List;

/** Dag -> SDS Secrets: the certificate chain and private key of every TLS virtual host in use. */
public final class SecretTranslator {

    private SecretTranslator() {
    }

    public static List<Secret> translate(Dag dag) {
        return translate(dag, TranslationMemo.none());
    }

    /** As {@link #translate(Dag)}, reusing {@code memo}'s Secret for a TLS secret that did not change. */
    static List<Secret> translate(Dag dag, TranslationMemo memo) {
        return memo.secrets.all(dag.secrets(), SecretTranslator::secret);
    }

    private static Secret secret(TlsSecret s) {
        return Secret.newBuilder()
                .setName(s.name())
                .setTlsCertificate(TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setInlineString(s.certificateChain()))
                        .setPrivateKey(DataSource.newBuilder().setInlineString(s.privateKey())))
                .build();
    }
}
