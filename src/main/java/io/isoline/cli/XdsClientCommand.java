package io.isoline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cli lds|rds|cds|eds|sds [names]}: asks a running xDS server for one type of resource, as an
 * Envoy node would over ADS, and prints what it answers as JSON (private keys redacted). Opens no
 * listening port.
 */
@Command(name = "cli", mixinStandardHelpOptions = true,
        description = "Fetch resources from a running xDS server as an Envoy would, and print them as JSON.")
public class XdsClientCommand implements Callable<Integer> {

    static final Map<String, Class<? extends Message>> TYPES = Map.of(
            "lds", Listener.class, "rds", RouteConfiguration.class, "cds", Cluster.class,
            "eds", ClusterLoadAssignment.class, "sds", Secret.class);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TYPE", description = "lds, rds, cds, eds or sds")
    String type;

    @Parameters(index = "1..*", paramLabel = "NAME", description = "Resource names (needed for rds, eds and sds; none = all for lds and cds).")
    List<String> names = List.of();

    @Option(names = "--xds-address", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
    String address;

    @Option(names = "--xds-port", defaultValue = "8001", description = "Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--node-id", defaultValue = "isoline-cli", description = "The node id to ask as. Default: ${DEFAULT-VALUE}.")
    String nodeId;

    @Option(names = "--xds-ca-file", paramLabel = "FILE", description = "Connect over TLS, verifying the server with this CA bundle.")
    java.nio.file.Path caFile;

    @Option(names = "--xds-cert-file", paramLabel = "FILE", description = "Client certificate for mutual TLS (with --xds-key-file).")
    java.nio.file.Path certFile;

    @Option(names = "--xds-key-file", paramLabel = "FILE", description = "Client key for mutual TLS.")
    java.nio.file.Path keyFile;

    @Option(names = "--xds-server-name", paramLabel = "NAME",
            description = "The name the server's certificate must carry, when it is not --xds-address (through a port-forward, say).")
    String serverName;

    @Option(names = "--timeout-seconds", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Class<? extends Message> messageType = TYPES.get(type);
        if (messageType == null) {
            spec.commandLine().getErr().println("error: TYPE must be one of lds, rds, cds, eds, sds, not '" + type + "'");
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        String typeUrl = "type.googleapis.com/"
                + ((com.google.protobuf.Descriptors.Descriptor) messageType.getMethod("getDescriptor").invoke(null)).getFullName();
        if ((certFile == null) != (keyFile == null) || (certFile != null || serverName != null) && caFile == null) {
            spec.commandLine().getErr().println("error: --xds-cert-file and --xds-key-file go together, and they and --xds-server-name need --xds-ca-file");
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        ManagedChannel channel;
        try {
            channel = channel().maxInboundMessageSize(256 << 20).build();
        } catch (java.io.IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: cannot read the TLS files: " + e.getMessage());
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        try {
            DiscoveryResponse response = fetch(channel, typeUrl);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("versionInfo", response.getVersionInfo());
            ArrayNode resources = out.putArray("resources");
            for (Any any : response.getResourcesList()) {
                resources.add(TranslationJson.toJson(any.unpack(messageType)));
            }
            spec.commandLine().getOut().print(TranslationJson.pretty(out));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (TimeoutException e) {
            spec.commandLine().getErr().println("error: no " + type + " response from " + address + ":" + port + " within "
                    + timeoutSeconds + " s (is serve running, and are the names right?)");
            return 1;
        } catch (ExecutionException e) {
            spec.commandLine().getErr().println("error: " + address + ":" + port + ": " + e.getCause().getMessage());
            return 1;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Plain text, or TLS (mutual with a client certificate) when a CA is given. */
    private ManagedChannelBuilder<?> channel() throws java.io.IOException {
        if (caFile == null) {
            return ManagedChannelBuilder.forAddress(address, port).usePlaintext();
        }
        io.grpc.TlsChannelCredentials.Builder tls = io.grpc.TlsChannelCredentials.newBuilder().trustManager(caFile.toFile());
        if (certFile != null) {
            tls.keyManager(certFile.toFile(), keyFile.toFile());
        }
        ManagedChannelBuilder<?> builder = io.grpc.Grpc.newChannelBuilderForAddress(address, port, tls.build());
        return serverName == null ? builder : builder.overrideAuthority(serverName);
    }

    private DiscoveryResponse fetch(ManagedChannel channel, String typeUrl) throws Exception {
        CompletableFuture<DiscoveryResponse> first = new CompletableFuture<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .streamAggregatedResources(new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse value) {
                        first.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        first.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        first.completeExceptionally(new IllegalStateException("the server closed the stream"));
                    }
                });
        requests.onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId(nodeId).setCluster("isoline-cli"))
                .setTypeUrl(typeUrl).addAllResourceNames(names).build());
        try {
            return first.get(timeoutSeconds, TimeUnit.SECONDS);
        } finally {
            requests.onCompleted();
        }
    }
}
