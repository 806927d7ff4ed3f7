package io.isoline.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bootstrap the README tells users to give Envoy parses as Envoy's Bootstrap and points at serve's default address. */
class EnvoyBootstrapExampleTest {

    @Test
    void exampleBootstrapIsAValidEnvoyBootstrapForTheDefaultXdsAddress() throws Exception {
        String json = new ObjectMapper().writeValueAsString(
                new YAMLMapper().readTree(Files.readString(Path.of("docs/envoy-bootstrap.yaml"))));
        Bootstrap.Builder b = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                .add(HttpProtocolOptions.getDescriptor()).build()).merge(json, b);
        Bootstrap bootstrap = b.build();
        assertThat(bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0).getEnvoyGrpc().getClusterName())
                .isEqualTo("isoline");
        var address = bootstrap.getStaticResources().getClusters(0).getLoadAssignment().getEndpoints(0)
                .getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
        assertThat(address.getAddress() + ":" + address.getPortValue()).isEqualTo("127.0.0.1:8001");
        assertThat(bootstrap.getDynamicResources().getLdsConfig().hasAds()).isTrue();
        assertThat(bootstrap.getDynamicResources().getCdsConfig().hasAds()).isTrue();
    }
}
