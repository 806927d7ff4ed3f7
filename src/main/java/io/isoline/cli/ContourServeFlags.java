package io.isoline.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Contour's {@code contour serve} flags that have no Isoline flag of the same meaning: hidden, and
 * each a usage error saying what to use instead, so a Contour Deployment's arguments copied over
 * fail with advice rather than "Unknown option". (Contour's names for options Isoline has are
 * aliases in {@link TranslationOptionsMixin}.) One method per flag: picocli does not tell a
 * setter which of an option's names was given.
 */
public class ContourServeFlags {

    private static final String IN_CLUSTER = "Isoline uses the in-cluster configuration by default (else --kubeconfig FILE); drop the flag";
    private static final String XDS = "the xDS listener is isoline.xds.address and isoline.xds.port (ISOLINE_XDS_ADDRESS, ISOLINE_XDS_PORT)";
    private static final String MANAGEMENT = "health and metrics are on isoline.management.address and isoline.management.port (ISOLINE_MANAGEMENT_PORT, default 9000); Envoy's stats listener is bootstrap --stats-port";
    private static final String XDS_TLS = "xDS TLS is Quarkus' TLS configuration and isoline.xds.require-client-certificate (docs/configuration.md#tls-on-the-xds-port; certgen makes the certificates)";
    private static final String INSECURE = "xDS is plain text unless TLS is configured; drop the flag";
    private static final String ACCESS_LOG = "Envoy writes its access log to stdout; choose the format with --access-log text|json|off";
    private static final String CONFIG_FILE = "there is no configuration file: use flags and isoline.* properties (ISOLINE_* variables), see docs/configuration.md";
    private static final String LEADER_ELECTION = "leader election is isoline.leader-election.enabled=false, and .namespace and .lease-name (a Lease)";
    private static final String ENVOY_SERVICE = "Envoy's Service for Ingress status is isoline.status.envoy-service=NAMESPACE/NAME";
    private static final String STATUS_ADDRESS = "a fixed Ingress status address is isoline.status.address";
    private static final String PROXY_PROTOCOL = "the PROXY protocol on Envoy's listeners is not supported yet";
    private static final String DEBUG = "raise the log level with QUARKUS_LOG_CATEGORY__IO_ISOLINE__LEVEL=DEBUG (docs/configuration.md#logging)";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private ParameterException refuse(String flag, String advice) {
        return new ParameterException(spec.commandLine(), flag + " is a Contour flag Isoline does not take: " + advice);
    }

    @Option(names = "--incluster", hidden = true, arity = "0..1")
    void incluster(String ignored) {
        throw refuse("--incluster", IN_CLUSTER);
    }

    @Option(names = "--xds-address", hidden = true, arity = "0..1")
    void xdsAddress(String ignored) {
        throw refuse("--xds-address", XDS);
    }

    @Option(names = "--xds-port", hidden = true, arity = "0..1")
    void xdsPort(String ignored) {
        throw refuse("--xds-port", XDS);
    }

    @Option(names = "--stats-address", hidden = true, arity = "0..1")
    void statsAddress(String ignored) {
        throw refuse("--stats-address", MANAGEMENT);
    }

    @Option(names = "--stats-port", hidden = true, arity = "0..1")
    void statsPort(String ignored) {
        throw refuse("--stats-port", MANAGEMENT);
    }

    @Option(names = "--http-address", hidden = true, arity = "0..1")
    void httpAddress(String ignored) {
        throw refuse("--http-address", MANAGEMENT);
    }

    @Option(names = "--http-port", hidden = true, arity = "0..1")
    void httpPort(String ignored) {
        throw refuse("--http-port", MANAGEMENT);
    }

    @Option(names = "--debug-http-address", hidden = true, arity = "0..1")
    void debugHttpAddress(String ignored) {
        throw refuse("--debug-http-address", MANAGEMENT);
    }

    @Option(names = "--debug-http-port", hidden = true, arity = "0..1")
    void debugHttpPort(String ignored) {
        throw refuse("--debug-http-port", MANAGEMENT);
    }

    @Option(names = "--health-address", hidden = true, arity = "0..1")
    void healthAddress(String ignored) {
        throw refuse("--health-address", MANAGEMENT);
    }

    @Option(names = "--health-port", hidden = true, arity = "0..1")
    void healthPort(String ignored) {
        throw refuse("--health-port", MANAGEMENT);
    }

    @Option(names = "--metrics-address", hidden = true, arity = "0..1")
    void metricsAddress(String ignored) {
        throw refuse("--metrics-address", MANAGEMENT);
    }

    @Option(names = "--metrics-port", hidden = true, arity = "0..1")
    void metricsPort(String ignored) {
        throw refuse("--metrics-port", MANAGEMENT);
    }

    @Option(names = "--contour-cafile", hidden = true, arity = "0..1")
    void contourCafile(String ignored) {
        throw refuse("--contour-cafile", XDS_TLS);
    }

    @Option(names = "--contour-cert-file", hidden = true, arity = "0..1")
    void contourCertFile(String ignored) {
        throw refuse("--contour-cert-file", XDS_TLS);
    }

    @Option(names = "--contour-key-file", hidden = true, arity = "0..1")
    void contourKeyFile(String ignored) {
        throw refuse("--contour-key-file", XDS_TLS);
    }

    @Option(names = "--insecure", hidden = true, arity = "0..1")
    void insecure(String ignored) {
        throw refuse("--insecure", INSECURE);
    }

    @Option(names = "--envoy-http-access-log", hidden = true, arity = "0..1")
    void envoyHttpAccessLog(String ignored) {
        throw refuse("--envoy-http-access-log", ACCESS_LOG);
    }

    @Option(names = "--envoy-https-access-log", hidden = true, arity = "0..1")
    void envoyHttpsAccessLog(String ignored) {
        throw refuse("--envoy-https-access-log", ACCESS_LOG);
    }

    @Option(names = "--accesslog-format", hidden = true, arity = "0..1")
    void accesslogFormat(String ignored) {
        throw refuse("--accesslog-format", ACCESS_LOG);
    }

    @Option(names = "--config-path", hidden = true, arity = "0..1")
    void configPath(String ignored) {
        throw refuse("--config-path", CONFIG_FILE);
    }

    @Option(names = "--disable-leader-election", hidden = true, arity = "0..1")
    void disableLeaderElection(String ignored) {
        throw refuse("--disable-leader-election", LEADER_ELECTION);
    }

    @Option(names = "--leader-election-lease-duration", hidden = true, arity = "0..1")
    void leaderElectionLeaseDuration(String ignored) {
        throw refuse("--leader-election-lease-duration", LEADER_ELECTION);
    }

    @Option(names = "--leader-election-renew-deadline", hidden = true, arity = "0..1")
    void leaderElectionRenewDeadline(String ignored) {
        throw refuse("--leader-election-renew-deadline", LEADER_ELECTION);
    }

    @Option(names = "--leader-election-retry-period", hidden = true, arity = "0..1")
    void leaderElectionRetryPeriod(String ignored) {
        throw refuse("--leader-election-retry-period", LEADER_ELECTION);
    }

    @Option(names = "--leader-election-configmap-name", hidden = true, arity = "0..1")
    void leaderElectionConfigmapName(String ignored) {
        throw refuse("--leader-election-configmap-name", LEADER_ELECTION);
    }

    @Option(names = "--leader-election-configmap-namespace", hidden = true, arity = "0..1")
    void leaderElectionConfigmapNamespace(String ignored) {
        throw refuse("--leader-election-configmap-namespace", LEADER_ELECTION);
    }

    @Option(names = "--envoy-service-name", hidden = true, arity = "0..1")
    void envoyServiceName(String ignored) {
        throw refuse("--envoy-service-name", ENVOY_SERVICE);
    }

    @Option(names = "--envoy-service-namespace", hidden = true, arity = "0..1")
    void envoyServiceNamespace(String ignored) {
        throw refuse("--envoy-service-namespace", ENVOY_SERVICE);
    }

    @Option(names = "--ingress-status-address", hidden = true, arity = "0..1")
    void ingressStatusAddress(String ignored) {
        throw refuse("--ingress-status-address", STATUS_ADDRESS);
    }

    @Option(names = "--use-proxy-protocol", hidden = true, arity = "0..1")
    void useProxyProtocol(String ignored) {
        throw refuse("--use-proxy-protocol", PROXY_PROTOCOL);
    }

    @Option(names = "--debug", hidden = true, arity = "0..1")
    void debug(String ignored) {
        throw refuse("--debug", DEBUG);
    }

    @Option(names = "--kubernetes-debug", hidden = true, arity = "0..1")
    void kubernetesDebug(String ignored) {
        throw refuse("--kubernetes-debug", DEBUG);
    }

}
