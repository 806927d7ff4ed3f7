package io.isoline.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.isoline.cli.TranslateRunner;
import io.isoline.k8s.HTTPProxy;
import io.isoline.source.ManifestLoader;
import io.isoline.source.ManifestParser;
import io.isoline.state.ClusterState;
import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.TranslationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isoline convert}: IngressRoutes become HTTPProxies that serve what they served, and say what could not be carried over. */
class IngressRouteConverterTest {

    @TempDir
    Path dir;

    private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(io.isoline.xds.validate.EnvoyTypes.ALL.stream().map(com.google.protobuf.Message::getDescriptorForType).toList()).build();

    /** The state with its IngressRoutes and v1beta1 delegations replaced by what the converter made of them. */
    private static ClusterState converted(ClusterState state, IngressRouteConverter.Result result) {
        ClusterState.Builder b = ClusterState.builder();
        state.services().values().forEach(b::add);
        state.endpoints().values().forEach(b::add);
        state.endpointSlices().values().forEach(b::add);
        state.secrets().values().forEach(b::add);
        result.objects().forEach(b::add);
        return b.build();
    }

    private static List<String> json(List<? extends com.google.protobuf.Message> messages) {
        return messages.stream().map(m -> {
            try {
                return JsonFormat.printer().usingTypeRegistry(TYPES).print(m);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** The route configurations without the routes {@code skip} matches. */
    private static List<String> routesWithout(TranslationResult r, Predicate<Route> skip) {
        return json(r.resources().routes().stream().map(rc -> {
            RouteConfiguration.Builder b = rc.toBuilder();
            b.getVirtualHostsBuilderList().forEach(vh -> {
                List<Route> kept = vh.getRoutesList().stream().filter(skip.negate()).toList();
                vh.clearRoutes().addAllRoutes(kept);
            });
            return b.build();
        }).toList());
    }

    private static List<String> matches(TranslationResult r, Predicate<Route> which) {
        return r.resources().routes().stream().flatMap(rc -> rc.getVirtualHostsList().stream()).flatMap(vh -> vh.getRoutesList().stream())
                .filter(which).map(route -> route.getMatch().getPathSpecifierCase() + " " + route.getMatch().getPath()
                        + route.getMatch().getPrefix() + " -> " + route.getRoute().getPrefixRewrite())
                .distinct().sorted().toList();
    }

    @Test
    void theIngressRouteExamplesConvertToHttpProxiesServingTheSameEnvoyConfiguration() throws Exception {
        ClusterState state = ManifestLoader.load(List.of(Path.of("examples/ingressroute"))).state();
        IngressRouteConverter.Result result = IngressRouteConverter.convert(state);
        TranslationResult before = ConfigTranslator.translate(state, TranslateOptions.DEFAULT);
        TranslationResult after = ConfigTranslator.translate(converted(state, result), TranslateOptions.DEFAULT);
        assertThat(after.statuses()).allSatisfy(s -> assertThat(s.currentStatus()).as(s.namespace() + "/" + s.name()).isEqualTo("valid"));
        assertThat(after.statuses()).extracting(s -> s.kind()).containsOnly("HTTPProxy");
        assertThat(after.statuses()).hasSameSizeAs(before.statuses());
        assertThat(json(after.resources().listeners())).isEqualTo(json(before.resources().listeners()));
        assertThat(json(after.resources().clusters())).isEqualTo(json(before.resources().clusters()));
        assertThat(json(after.resources().endpoints())).isEqualTo(json(before.resources().endpoints()));
        assertThat(json(after.resources().secrets())).isEqualTo(json(before.resources().secrets()));
        // One route differs in shape: HTTPProxy serves a rewritten prefix /shop/live as /shop/live and
        // /shop/live/ (Contour's expansion). What reaches the backends is the same.
        Predicate<Route> rewritten = route -> (route.getMatch().getPath() + route.getMatch().getPrefix()).startsWith("/shop/live");
        assertThat(routesWithout(after, rewritten)).isEqualTo(routesWithout(before, rewritten));
        assertThat(matches(after, rewritten)).containsExactly("PREFIX /shop/live -> ", "PREFIX /shop/live -> /live",
                "PREFIX /shop/live/ -> ", "PREFIX /shop/live/ -> /live/");
        EnvoySimulator was = new EnvoySimulator(before.resources());
        EnvoySimulator is = new EnvoySimulator(after.resources());
        for (String path : List.of("/shop/live", "/shop/live/feed", "/shop/livestream", "/shop/cart", "/blog/x", "/")) {
            assertThat(upstream(is, path)).as(path).isEqualTo(upstream(was, path));
        }
        assertThat(result.notes()).isEmpty();
    }

    /** Where a request for {@code path} goes over TLS, and with which path. */
    private static String upstream(EnvoySimulator envoy, String path) {
        var outcome = envoy.https("www.example.org", path);
        if (!(outcome instanceof EnvoySimulator.Proxied p)) {
            return outcome.toString();
        }
        var match = p.route().getMatch();
        String prefix = match.getPrefix().isEmpty() ? match.getPath() : match.getPrefix();
        String rewrite = p.route().getRoute().getPrefixRewrite();
        return p.cluster() + " " + (rewrite.isEmpty() ? path : rewrite + path.substring(prefix.length()));
    }

    @Test
    void delegatedPathsBecomeRelativeToTheIncludesAboveThem() {
        var result = IngressRouteConverter.convert(Fixture.state("""
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: root, namespace: a}
                spec:
                  virtualhost: {fqdn: x.example.com}
                  routes:
                  - {match: /, delegate: {name: home}}
                  - {match: /api, delegate: {name: api, namespace: b}}
                ---
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: home, namespace: a}
                spec: {routes: [{match: /, services: [{name: web, port: 80}]}, {match: /about, services: [{name: web, port: 80}]}]}
                ---
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: api, namespace: b}
                spec:
                  routes:
                  - {match: /api, services: [{name: api, port: 80}]}
                  - {match: /api/v2, delegate: {name: v2}}
                  - {match: /apis, services: [{name: api, port: 80}]}
                ---
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: v2, namespace: b}
                spec: {routes: [{match: /api/v2/users, services: [{name: users, port: 80}]}]}
                """));
        assertThat(prefixes(result, "a", "root")).containsExactly("include a/home [/]", "include b/api [/api]");
        assertThat(prefixes(result, "a", "home")).containsExactly("route []", "route [/about]");
        assertThat(prefixes(result, "b", "api")).as("/apis cannot be appended to /api as a path").containsExactly("include b/v2 [/v2]",
                "route []");
        assertThat(prefixes(result, "b", "v2")).containsExactly("route [/users]");
        assertThat(result.notes()).extracting(Object::toString).containsExactly(
                "IngressRoute b/api: route /apis is not under /api as a path HTTPProxy can append, so it is left out");
    }

    private static List<String> prefixes(IngressRouteConverter.Result result, String ns, String name) {
        HTTPProxy p = result.objects().stream().filter(o -> o instanceof HTTPProxy && o.getMetadata().getName().equals(name)
                && o.getMetadata().getNamespace().equals(ns)).map(o -> (HTTPProxy) o).findFirst().orElseThrow();
        var out = new java.util.ArrayList<String>();
        IngressRouteConverter.nullSafe(p.getSpec().includes).forEach(i -> out.add("include " + (i.namespace == null ? ns : i.namespace) + "/"
                + i.name + " " + IngressRouteConverter.nullSafe(i.conditions).stream().map(c -> c.prefix).toList()));
        IngressRouteConverter.nullSafe(p.getSpec().routes).forEach(r -> out.add("route "
                + IngressRouteConverter.nullSafe(r.conditions).stream().map(c -> c.prefix).toList()));
        return out;
    }

    @Test
    void whatHttpProxyCannotSayIsNotedAndWrittenAsWhatIngressRouteDid() {
        var result = IngressRouteConverter.convert(Fixture.state("""
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: root, namespace: a}
                spec:
                  virtualhost: {fqdn: x.example.com, tls: {secretName: cert, minimumProtocolVersion: "1.1"}}
                  routes:
                  - match: /ring
                    services: [{name: a, port: 80, strategy: RingHash}]
                  - match: /mixed
                    services: [{name: a, port: 80, strategy: Random}, {name: b, port: 80, strategy: WeightedLeastRequest}]
                  - match: /slow
                    timeoutPolicy: {request: forever}
                    services: [{name: a, port: 80}]
                  - match: /old
                    prefixRewrite: /new/
                    services: [{name: a, port: 80}]
                ---
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: lost, namespace: a}
                spec: {routes: [{match: /x, services: [{name: a, port: 80}]}]}
                """));
        assertThat(result.notes()).extracting(IngressRouteConverter.Note::message).containsExactly(
                "no root delegates to it; its paths are kept as they are",
                "tls.minimumProtocolVersion 1.1 is not one HTTPProxy has (1.2, 1.3); the default (1.2) applies, as it did for the IngressRoute",
                "route /ring: strategy RingHash has no HTTPProxy equivalent (it hashed on nothing); RoundRobin is used",
                "route /mixed: the services have different strategy settings; HTTPProxy has one per route: the first service's is used",
                "route /slow: timeoutPolicy.request \"forever\" is not a duration, which IngressRoute read as no timeout and HTTPProxy "
                        + "would refuse: written as infinity",
                "route /old: prefixRewrite /new/: IngressRoute sent /old/x upstream as /new//x, HTTPProxy sends /new/x");
        HTTPProxy root = (HTTPProxy) result.objects().get(1);
        assertThat(root.getSpec().routes.get(2).timeoutPolicy.response).isEqualTo("infinity");
    }

    @Test
    void theCommandPrintsManifestsThatReadBackAsTheConvertedObjects() throws Exception {
        var run = TranslateRunner.run(new io.isoline.cli.ConvertCommand(), "-f", "examples/ingressroute");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr()).contains("converted 6 objects, 0 notes");
        assertThat(run.stdout()).startsWith("apiVersion: projectcontour.io/v1\nkind: HTTPProxy\n").doesNotContain("status")
                .contains("- prefix: /blog").doesNotContain("tls.key");
        Path out = dir.resolve("converted.yaml");
        Files.writeString(out, run.stdout());
        List<HasMetadata> parsed = ManifestParser.parse(out).objects();
        var expected = IngressRouteConverter.convert(ManifestLoader.load(List.of(Path.of("examples/ingressroute"))).state()).objects();
        assertThat(parsed).hasSameSizeAs(expected);
        for (int i = 0; i < parsed.size(); i++) {
            assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(parsed.get(i)))
                    .isEqualTo(io.fabric8.kubernetes.client.utils.Serialization.asJson(expected.get(i)));
        }
    }
}
