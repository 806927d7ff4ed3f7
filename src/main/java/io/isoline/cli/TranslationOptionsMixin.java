package io.isoline.cli;

import io.isoline.dag.DagOptions;
import io.isoline.dag.TlsVersion;
import io.isoline.xds.translate.ListenerOptions;
import io.isoline.xds.translate.TranslateOptions;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options that change translation. {@code serve} and {@code translate} both mix this in, so they
 * take the same names and give the same output for the same objects.
 */
public class TranslationOptionsMixin {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--ingress-class-name", paramLabel = "NAME",
            description = "Serve only objects of this ingress class. Default: objects with no class, "
                    + "class 'contour', and IngressClasses naming Contour's or Isoline's controller.")
    String ingressClassName;

    @Option(names = "--envoy-address", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
            description = "Address Envoy's listeners bind. Default: ${DEFAULT-VALUE}.")
    String envoyAddress;

    @Option(names = "--envoy-http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port of the ingress_http listener. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--envoy-https-port", defaultValue = "8443", paramLabel = "PORT",
            description = "Port of the ingress_https listener. Default: ${DEFAULT-VALUE}.")
    int httpsPort;

    @Option(names = "--root-namespaces", split = ",", paramLabel = "NS[,NS...]",
            description = "Namespaces where root IngressRoutes (those with a virtualhost) may live. Default: any.")
    java.util.Set<String> rootNamespaces = new java.util.TreeSet<>();

    @Option(names = "--ingress-routes-on-root-hosts", description = "Let Ingresses add routes to hosts that root "
            + "IngressRoutes own (never their certificates). Unsafe where teams share the cluster. Default: off.")
    boolean ingressRoutesOnRootHosts;

    @Option(names = "--tls-minimum-protocol-version", defaultValue = "1.2", paramLabel = "VERSION",
            description = "Minimum TLS version where an object asks for none: 1.2 or 1.3. Default: ${DEFAULT-VALUE}.")
    String tlsMinimum;

    /** The options as the core takes them; bad values are a usage error naming the option. */
    public TranslateOptions toOptions() {
        TlsVersion tls = TlsVersion.parse(tlsMinimum).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--tls-minimum-protocol-version must be 1.2 or 1.3, not '" + tlsMinimum + "'"));
        checkPort("--envoy-http-port", httpPort);
        checkPort("--envoy-https-port", httpsPort);
        return new TranslateOptions(new DagOptions(ingressClassName, tls, rootNamespaces, ingressRoutesOnRootHosts),
                new ListenerOptions(envoyAddress, httpPort, httpsPort));
    }

    private void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), option + " must be 1-65535, not " + port);
        }
    }
}
