package io.isoline.dag;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.IngressRoutes.child;
import static io.isoline.testing.IngressRoutes.delegate;
import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.statuses;
import static io.isoline.testing.IngressRoutes.toService;
import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import org.junit.jupiter.api.Test;

/** A more specific delegation owns its subtree: no delegate can serve inside another's zone. */
class PathOwnershipTest {

    private static final String BACKENDS = backend("root", "acme", "10.0.0.1") + backend("team-a", "site", "10.0.1.1")
            + backend("team-a", "thief", "10.0.1.66") + backend("team-b", "blog", "10.0.2.1") + backend("team-c", "app", "10.0.3.1");

    @Test
    void aDelegateOfSlashCannotTakePathsDelegatedToAnotherTeam() {
        TranslationResult r = Fixture.translate(BACKENDS
                + root("root", "www", "www.example.com", delegate("/", "team-a", "site") + delegate("/blog", "team-b", "blog"))
                + child("team-a", "site", toService("/", "site") + toService("/blog", "thief") + toService("/blog/admin", "thief"))
                + child("team-b", "blog", toService("/blog", "blog")));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("www.example.com", "/blog"))).isEqualTo("blog");
        assertThat(servedBy(envoy.http("www.example.com", "/blog/admin"))).isEqualTo("blog");
        assertThat(servedBy(envoy.http("www.example.com", "/about"))).isEqualTo("site");
        assertThat(statuses(r).get("team-a/site")).startsWith("valid: ")
                .contains("route \"/blog/admin\" is inside the delegation of \"/blog\" by root/www and is not served");
        assertThat(statuses(r)).containsEntry("team-b/blog", "valid: valid IngressRoute");
    }

    @Test
    void aDelegateOfSlashCannotDisplaceTheRootsOwnRoutes() {
        TranslationResult r = Fixture.translate(BACKENDS
                + root("root", "www", "www.example.com", toService("/.well-known/acme-challenge", "acme") + delegate("/", "team-a", "site"))
                + child("team-a", "site", toService("/", "site") + toService("/.well-known/acme-challenge/x", "thief")));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("www.example.com", "/.well-known/acme-challenge/x"))).isEqualTo("acme");
        assertThat(statuses(r).get("team-a/site")).contains("is inside the root's own route \"/.well-known/acme-challenge\"");
    }

    @Test
    void anObjectKeepsItsOwnRoutesBesideADelegationOfItsWholePrefix() {
        TranslationResult r = Fixture.translate(BACKENDS
                + root("root", "www", "www.example.com", delegate("/", "team-a", "site"))
                + child("team-a", "site", toService("/a", "site") + delegate("/", "team-c", "app"))
                + child("team-c", "app", toService("/", "app")));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("www.example.com", "/a"))).isEqualTo("site");
        assertThat(servedBy(envoy.http("www.example.com", "/b"))).isEqualTo("app");
        assertThat(statuses(r)).containsEntry("team-a/site", "valid: valid IngressRoute").containsEntry("team-c/app", "valid: valid IngressRoute");
    }

    @Test
    void delegatingToAnotherTeamsRootIsRefusedAndTheRootIsUnaffected() {
        String victim = """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: blog, namespace: team-b}
                spec:
                  virtualhost: {fqdn: blog.example.com, tls: {secretName: cert}}
                  routes: [{match: /, services: [{name: blog, port: 80}]}]
                ---
                """;
        TranslationResult r = Fixture.translate(BACKENDS + io.isoline.testing.Manifests.tlsSecret("team-b", "cert") + victim
                + root("team-a", "www", "www.example.com", toService("/", "site") + delegate("/blog", "team-b", "blog")));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("www.example.com", "/blog"))).as("not the victim's routes over plain HTTP").isEqualTo("site");
        assertThat(statuses(r).get("team-a/www")).contains("delegate team-b/blog is a root IngressRoute");
        assertThat(statuses(r)).containsEntry("team-b/blog", "valid: valid IngressRoute");
    }
}
