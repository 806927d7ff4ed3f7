package io.isoline.dag;

import static io.isoline.testing.IngressRoutes.child;
import static io.isoline.testing.IngressRoutes.delegate;
import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.statuses;
import static io.isoline.testing.IngressRoutes.toService;
import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.isoline.k8s.HTTPProxy;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.TLSCertificateDelegation;
import io.isoline.state.ClusterState;
import io.isoline.testing.Fixture;
import io.isoline.testing.Proxies;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.TranslationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Custom resources whose spec has a value of the wrong shape (an API server with an older or
 * schemaless CRD holds them): decoded as the informers decode them, each is invalid with a status
 * naming the field, claims and delegates nothing, and every other object is served as before.
 */
class UnreadableObjectTest {

    private static final String HONEST = backend("other", "web", "10.0.2.1") + backend("team", "app", "10.0.1.1")
            + root("other", "web", "honest.example.com", toService("/", "web"))
            + root("team", "www", "www.example.com", toService("/", "app") + delegate("/blog", "team", "blog"));

    private static <T extends HasMetadata> T decoded(Class<T> type, String spec, String name) {
        return Serialization.unmarshal("{\"apiVersion\": \"contour.heptio.com/v1beta1\", \"kind\": \"" + type.getSimpleName()
                + "\", \"metadata\": {\"name\": \"" + name + "\", \"namespace\": \"team\", \"creationTimestamp\": \"2020-01-01T00:00:00Z\"},"
                + " \"spec\": " + spec + ", \"status\": {\"currentStatus\": [\"not\", \"text\"]}}", type);
    }

    private static TranslationResult translate(String yaml, HasMetadata... unreadable) {
        ClusterState.Builder b = Fixture.state(yaml).toBuilder();
        List.of(unreadable).forEach(b::add);
        return ConfigTranslator.translate(b.build(), TranslateOptions.DEFAULT);
    }

    private static List<String> domains(TranslationResult r) {
        return r.resources().routes().stream().flatMap(rc -> rc.getVirtualHostsList().stream())
                .flatMap(v -> v.getDomainsList().stream()).toList();
    }

    @Test
    void theFieldAndWhatItMustBeAreNamedAndNoValueIsQuoted() {
        IngressRoute ir = decoded(IngressRoute.class, "{\"virtualhost\": {\"fqdn\": \"evil.example.com\"}, \"routes\": [{\"match\": \"/\","
                + " \"services\": [{\"name\": \"app\", \"port\": \"eighty-secret-value\"}]}]}", "evil");
        assertThat(ir.getSpec().decodeProblem()).isEqualTo("spec.routes[0].services[0].port must be an integer");
        assertThat(ir.getStatus()).as("a status of the wrong shape reads as none").isNull();
        assertThat(decoded(IngressRoute.class, "{\"routes\": \"all of them\"}", "x").getSpec().decodeProblem())
                .isEqualTo("spec.routes must be a list");
        assertThat(decoded(IngressRoute.class, "{\"virtualhost\": {\"tls\": {\"passthrough\": {\"a\": 1}}}}", "x").getSpec()
                .decodeProblem()).isEqualTo("spec.virtualhost.tls.passthrough must be true or false");
        assertThat(decoded(IngressRoute.class, "[1, 2]", "x").getSpec().decodeProblem()).isEqualTo("spec must be an object");
        assertThat(decoded(IngressRoute.class, "{\"routes\": [{\"match\": \"/\"}]}", "x").getSpec().decodeProblem()).isNull();
    }

    @Test
    void anUnreadableRootIsInvalidAndEveryoneElseIsServed() {
        TranslationResult before = translate(HONEST + child("team", "blog", toService("/blog", "app")));
        IngressRoute evil = decoded(IngressRoute.class, "{\"virtualhost\": {\"fqdn\": \"evil.example.com\"},"
                + " \"routes\": [{\"match\": \"/\", \"services\": [{\"name\": \"app\", \"weight\": [1]}]}]}", "evil");
        TranslationResult r = translate(HONEST + child("team", "blog", toService("/blog", "app")), evil);
        assertThat(statuses(r)).containsEntry("team/evil", "invalid: spec.routes[0].services[0].weight must be an integer")
                .containsEntry("other/web", "valid: valid IngressRoute").containsEntry("team/www", "valid: valid IngressRoute");
        assertThat(domains(r)).doesNotContain("evil.example.com");
        assertThat(r.resources().routes()).isEqualTo(before.resources().routes());
        assertThat(r.publishable()).isTrue();
    }

    @Test
    void anUnreadableDelegateIsInvalidAndItsPrefixIsNotServed() {
        IngressRoute blog = decoded(IngressRoute.class, "{\"routes\": [{\"match\": \"/blog\", \"delegate\": \"team/other\"}]}", "blog");
        TranslationResult r = translate(HONEST, blog);
        assertThat(statuses(r)).containsEntry("team/blog", "invalid: spec.routes[0].delegate must be an object")
                .containsEntry("other/web", "valid: valid IngressRoute");
        assertThat(statuses(r).get("team/www")).startsWith("valid");
        assertThat(r.resources().routes().toString()).contains("www.example.com").doesNotContain("/blog");
    }

    @Test
    void anUnreadableCertificateDelegationDelegatesNothing() {
        TLSCertificateDelegation d = decoded(TLSCertificateDelegation.class,
                "{\"delegations\": [{\"secretName\": \"cert\", \"targetNamespaces\": \"other\"}]}", "to-other");
        assertThat(d.getSpec().decodeProblem()).isEqualTo("spec.delegations[0].targetNamespaces must be a list");
        assertThat(d.getSpec().delegations).isNull();
    }

    private static HTTPProxy proxy(String name, String spec) {
        return Serialization.unmarshal("{\"apiVersion\": \"projectcontour.io/v1\", \"kind\": \"HTTPProxy\", \"metadata\": {\"name\": \""
                + name + "\", \"namespace\": \"team\"}, \"spec\": " + spec + "}", HTTPProxy.class);
    }

    @Test
    void anUnreadableHTTPProxyRootOrIncludedProxyIsInvalidAndEveryoneElseIsServed() {
        HTTPProxy evil = proxy("evil", "{\"virtualhost\": {\"fqdn\": \"evil.example.com\"},"
                + " \"routes\": [{\"services\": [{\"name\": \"app\", \"port\": \"eighty\"}]}]}");
        HTTPProxy site = proxy("site", "{\"virtualhost\": {\"fqdn\": \"site.example.com\"}, \"includes\": [{\"name\": \"part\","
                + " \"conditions\": [{\"prefix\": \"/part\"}]}], \"routes\": [{\"services\": [{\"name\": \"app\", \"port\": 80}]}]}");
        HTTPProxy part = proxy("part", "{\"routes\": [{\"services\": [{\"name\": \"app\", \"weight\": \"heavy\"}]}]}");
        TranslationResult r = translate(HONEST, evil, site, part);
        assertThat(Proxies.statuses(r)).containsEntry("team/evil", "invalid: spec.routes[0].services[0].port must be an integer")
                .containsEntry("team/part", "invalid: spec.routes[0].services[0].weight must be an integer")
                .containsEntry("team/site", "valid: Valid HTTPProxy");
        assertThat(Proxies.errors(r, "team/evil")).containsExactly("SpecError/SpecNotValid");
        assertThat(statuses(r)).containsEntry("other/web", "valid: valid IngressRoute");
        assertThat(domains(r)).doesNotContain("evil.example.com").contains("site.example.com");
        assertThat(r.resources().routes().toString()).doesNotContain("/part");
        assertThat(r.publishable()).isTrue();
    }
}
