package io.isoline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code bootstrap} writes is an Envoy Bootstrap pointing at the configured xDS server. */
class BootstrapCommandTest {

    @TempDir
    Path dir;

    private static Bootstrap parse(String json) throws Exception {
        Bootstrap.Builder b = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(TranslationJson.TYPES).merge(json, b);
        return b.build();
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new BootstrapCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void writesABootstrapForTheConfiguredXdsServerToAFile() throws Exception {
        Path file = dir.resolve("envoy.json");
        String[] r = run(file.toString(), "--xds-address", "isoline.isoline-system", "--xds-port", "18000",
                "--node-id", "envoy-7", "--node-cluster", "edge");
        assertThat(r[0]).isEqualTo("0");
        Bootstrap b = parse(Files.readString(file));
        var endpoint = b.getStaticResources().getClusters(0).getLoadAssignment().getEndpoints(0).getLbEndpoints(0)
                .getEndpoint().getAddress().getSocketAddress();
        assertThat(endpoint.getAddress() + ":" + endpoint.getPortValue()).isEqualTo("isoline.isoline-system:18000");
        assertThat(b.getAdmin().getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
        assertThat(b.getAdmin().getAddress().getSocketAddress().getPortValue()).isEqualTo(9001);
        assertThat(b.getNode().getId()).isEqualTo("envoy-7");
        assertThat(b.getNode().getCluster()).isEqualTo("edge");
        assertThat(b.getDynamicResources().getAdsConfig().getGrpcServices(0).getEnvoyGrpc().getClusterName())
                .isEqualTo(b.getStaticResources().getClusters(0).getName());
        assertThat(b.getDynamicResources().getLdsConfig().hasAds()).isTrue();
        assertThat(b.getDynamicResources().getCdsConfig().hasAds()).isTrue();
        assertThat(b.getStaticResources().getClusters(0).hasTransportSocket()).isFalse();
    }

    @Test
    void tlsToTheXdsServerUsesFilePathsAndDashIsStdout() throws Exception {
        String[] r = run("-", "--xds-ca-file", "/certs/ca.crt", "--xds-cert-file", "/certs/tls.crt", "--xds-key-file", "/certs/tls.key");
        assertThat(r[0]).isEqualTo("0");
        Bootstrap b = parse(r[1]);
        UpstreamTlsContext tls = b.getStaticResources().getClusters(0).getTransportSocket().getTypedConfig()
                .unpack(UpstreamTlsContext.class);
        assertThat(tls.getCommonTlsContext().getValidationContext().getTrustedCa().getFilename()).isEqualTo("/certs/ca.crt");
        assertThat(tls.getCommonTlsContext().getTlsCertificates(0).getPrivateKey().getFilename()).isEqualTo("/certs/tls.key");
    }

    @Test
    void aClientCertificateWithoutItsKeyIsAUsageError() {
        String[] r = run("-", "--xds-ca-file", "/ca", "--xds-cert-file", "/crt");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).isEmpty();
        assertThat(r[2]).contains("--xds-cert-file and --xds-key-file go together");
    }

    @Test
    void theOverloadManagerBoundsDownstreamConnectionsAsConfigured() throws Exception {
        for (String[] c : new String[][] {{"50000"}, {"1234", "--max-downstream-connections", "1234"}}) {
            String[] args = new String[c.length];
            args[0] = "-";
            System.arraycopy(c, 1, args, 1, c.length - 1);
            String[] r = run(args);
            assertThat(r[0]).isEqualTo("0");
            var monitor = parse(r[1]).getOverloadManager().getResourceMonitors(0);
            assertThat(monitor.getName()).isEqualTo("envoy.resource_monitors.global_downstream_max_connections");
            assertThat(monitor.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3
                    .DownstreamConnectionsConfig.class).getMaxActiveDownstreamConnections()).isEqualTo(Long.parseLong(c[0]));
        }
        String[] r = run("-", "--max-downstream-connections", "0");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).isEmpty();
        assertThat(r[2]).contains("--max-downstream-connections must be at least 1, not 0");
    }

    /** No stats listener unless asked; asked, one that reaches only admin's read-only paths; one on admin's own port is refused. */
    @Test
    void theStatsListenerIsOptInAndForwardsOnlyReadOnlyAdminPaths() throws Exception {
        assertThat(parse(run("-")[1]).getStaticResources().getListenersList()).isEmpty();
        var statics = parse(run("-", "--stats-port", "8002")[1]).getStaticResources();
        var listener = statics.getListeners(0);
        assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(8002);
        var hcm = listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(
                io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.class);
        var routes = hcm.getRouteConfig().getVirtualHosts(0).getRoutesList();
        assertThat(routes).extracting(r -> r.getMatch().getPath()).containsExactly("/ready", "/stats", "/stats/prometheus");
        assertThat(routes).allSatisfy(r -> assertThat(r.getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("GET"));
        assertThat(statics.getClustersList()).extracting(c -> c.getName()).contains("envoy_admin");
        String[] same = run("-", "--stats-port", "9001");
        assertThat(same[0]).isEqualTo("2");
        assertThat(same[2]).contains("--stats-port must be 0 (none) or a port other than --admin-port, not 9001");
    }
}
