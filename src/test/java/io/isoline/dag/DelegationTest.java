package io.isoline.dag;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.IngressRoutes.child;
import static io.isoline.testing.IngressRoutes.delegate;
import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.statuses;
import static io.isoline.testing.IngressRoutes.toService;
import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.ListenerOptions;
import io.isoline.xds.translate.TranslateOptions;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** IngressRoute delegation: chains across namespaces, containment, cycles, orphans, aliases, root namespaces. */
class DelegationTest {

    private static final String BACKENDS = backend("root", "home", "10.0.0.1") + backend("blog", "posts", "10.0.1.1")
            + backend("blog", "admin", "10.0.1.2") + backend("shop", "cart", "10.0.2.1");

    @Test
    void rootDelegatesPathsToTeamsInOtherNamespacesAcrossSeveralLevels() {
        var result = Fixture.translate(BACKENDS
                + root("root", "www", "www.example.com", toService("/", "home") + delegate("/blog", "blog", "blog"))
                + child("blog", "blog", toService("/blog", "posts") + delegate("/blog/admin", "blog", "admin"))
                + child("blog", "admin", toService("/blog/admin", "admin")));
        EnvoySimulator envoy = new EnvoySimulator(result.resources());
        assertThat(servedBy(envoy.http("www.example.com", "/"))).isEqualTo("home");
        assertThat(servedBy(envoy.http("www.example.com", "/blog/2019/hello"))).isEqualTo("posts");
        assertThat(servedBy(envoy.http("www.example.com", "/blog/admin/users"))).isEqualTo("admin");
        assertThat(statuses(result)).containsExactly(
                entry("blog/admin", "valid: valid IngressRoute"),
                entry("blog/blog", "valid: valid IngressRoute"),
                entry("root/www", "valid: valid IngressRoute"));
    }

    @Test
    void childMatchesMustLieInsideTheParentPrefixByWholePathElements() {
        var result = Fixture.translate(BACKENDS
                + root("root", "www", "www.example.com", toService("/", "home") + delegate("/blog", "blog", "blog"))
                + child("blog", "blog", toService("/blogger", "posts")));
        assertThat(statuses(result)).contains(entry("blog/blog",
                "invalid: the path prefix \"/blogger\" does not match the parent's path prefix \"/blog\""));
        // The invalid child contributes nothing; the parent's own routes still serve.
        EnvoySimulator envoy = new EnvoySimulator(result.resources());
        assertThat(servedBy(envoy.http("www.example.com", "/blogger"))).isEqualTo("home");
        assertThat(result.resources().clusters()).extracting(c -> c.getName()).containsExactly("root/home/80/da39a3ee5e");
    }

    @Test
    void theObjectClosingACycleIsInvalidAndNamesTheChain() {
        var result = Fixture.translate(BACKENDS
                + root("root", "www", "www.example.com", toService("/", "home") + delegate("/blog", "blog", "blog"))
                + child("blog", "blog", delegate("/blog", "root", "www")));
        assertThat(statuses(result)).containsExactly(
                entry("blog/blog", "invalid: route creates a delegation cycle: root/www -> blog/blog -> root/www"),
                entry("root/www", "valid: valid IngressRoute"));
    }

    @Test
    void aSelfDelegatingRootIsInvalid() {
        var result = Fixture.translate(BACKENDS + root("root", "www", "www.example.com", delegate("/", "root", "www")));
        assertThat(statuses(result)).containsExactly(
                entry("root/www", "invalid: route creates a delegation cycle: root/www -> root/www"));
        assertThat(result.resources().routes().get(0).getVirtualHostsList()).isEmpty();
    }

    @Test
    void aRouteWithBothServicesAndADelegateIsInvalid() {
        String both = "  - {match: /, services: [{name: home, port: 80}], delegate: {name: blog, namespace: blog}}\n";
        var result = Fixture.translate(BACKENDS + root("root", "www", "www.example.com", both)
                + child("blog", "blog", toService("/", "posts")));
        assertThat(statuses(result)).containsExactly(
                entry("blog/blog", "orphaned: this IngressRoute is not part of a delegation chain from a root IngressRoute"),
                entry("root/www", "invalid: route \"/\": cannot specify services and delegate in the same route"));
    }

    @Test
    void nonRootsThatNoValidChainReachesAreOrphaned() {
        var result = Fixture.translate(BACKENDS + child("blog", "lonely", toService("/", "posts")));
        assertThat(statuses(result)).containsExactly(entry("blog/lonely",
                "orphaned: this IngressRoute is not part of a delegation chain from a root IngressRoute"));
        assertThat(result.resources().clusters()).isEmpty();
    }

    @Test
    void delegatingToAMissingObjectDropsThatRouteAndSaysSo() {
        var result = Fixture.translate(BACKENDS
                + root("root", "www", "www.example.com", toService("/", "home") + delegate("/shop", "shop", "missing")));
        assertThat(statuses(result)).containsExactly(entry("root/www",
                "valid: valid IngressRoute; route \"/shop\": delegate shop/missing not found, the route is not served"));
        assertThat(servedBy(new EnvoySimulator(result.resources()).http("www.example.com", "/shop"))).isEqualTo("home");
    }

    @Test
    void severalRootsMayDelegateTheSameChildAsVirtualHostAliases() {
        var result = Fixture.translate(BACKENDS
                + root("root", "a", "a.example.com", delegate("/", "shop", "shop"))
                + root("root", "b", "b.example.com", delegate("/", "shop", "shop"))
                + child("shop", "shop", toService("/", "cart")));
        EnvoySimulator envoy = new EnvoySimulator(result.resources());
        assertThat(servedBy(envoy.http("a.example.com", "/x"))).isEqualTo("cart");
        assertThat(servedBy(envoy.http("b.example.com", "/x"))).isEqualTo("cart");
        assertThat(statuses(result)).containsValues("valid: valid IngressRoute").hasSize(3)
                .allSatisfy((k, v) -> assertThat(v).isEqualTo("valid: valid IngressRoute"));
    }

    @Test
    void aChildReachedByOneValidParentIsValid() {
        var result = Fixture.translate(BACKENDS
                + root("root", "a", "a.example.com", delegate("/shop", "shop", "shop"))
                + root("root", "b", "b.example.com", delegate("/store", "shop", "shop"))
                + child("shop", "shop", toService("/shop", "cart")));
        assertThat(statuses(result)).contains(entry("shop/shop", "valid: valid IngressRoute"));
        assertThat(servedBy(new EnvoySimulator(result.resources()).http("a.example.com", "/shop"))).isEqualTo("cart");
        assertThat(servedBy(new EnvoySimulator(result.resources()).http("b.example.com", "/shop"))).isEqualTo("404");
    }

    /**
     * Contour serves neither claimant, which lets any tenant take a host offline by claiming it;
     * here the oldest root keeps it (creationTimestamp, then namespace/name) and the other says why.
     */
    @Test
    void anFqdnClaimedByTwoRootsStaysWithTheOldest() {
        var result = Fixture.translate(BACKENDS
                + root("shop", "two", "WWW.example.com", toService("/", "cart")).replace("namespace: shop}",
                        "namespace: shop, creationTimestamp: \"2026-12-01T00:00:00Z\"}")
                + root("root", "one", "www.example.com", toService("/", "home")).replace("namespace: root}",
                        "namespace: root, creationTimestamp: \"2020-01-01T00:00:00Z\"}"));
        assertThat(statuses(result)).containsExactly(entry("root/one", "valid: valid IngressRoute"),
                entry("shop/two", "invalid: fqdn \"www.example.com\" is already claimed by IngressRoute root/one"));
        assertThat(servedBy(new EnvoySimulator(result.resources()).http("www.example.com", "/"))).isEqualTo("home");
        // Without timestamps (manifest files): namespace/name order.
        var files = Fixture.translate(BACKENDS + root("shop", "two", "www.example.com", toService("/", "cart"))
                + root("root", "one", "www.example.com", toService("/", "home")));
        assertThat(statuses(files)).containsEntry("root/one", "valid: valid IngressRoute");
    }

    @Test
    void rootsOutsideTheRootNamespacesServeNothing() {
        var options = new TranslateOptions(new DagOptions(null, TlsVersion.TLS_1_2, Set.of("root")), ListenerOptions.DEFAULT);
        var result = Fixture.translate(BACKENDS
                + root("root", "www", "www.example.com", toService("/", "home"))
                + root("shop", "rogue", "shop.example.com", toService("/", "cart")), options);
        assertThat(statuses(result)).containsExactly(
                entry("root/www", "valid: valid IngressRoute"),
                entry("shop/rogue", "invalid: root IngressRoute cannot be defined in this namespace"));
        assertThat(servedBy(new EnvoySimulator(result.resources()).http("shop.example.com", "/"))).isEqualTo("404");
    }

    @Test
    void aRootWithoutFqdnIsInvalid() {
        var result = Fixture.translate(BACKENDS + root("root", "www", "\"\"", toService("/", "home")));
        assertThat(statuses(result)).containsExactly(entry("root/www", "invalid: Spec.VirtualHost.Fqdn must be specified"));
    }

    /** A parent's prefix with a trailing slash delegates what is under it, and nothing that only starts with the same letters. */
    @Test
    void aTrailingSlashParentPrefixDelegatesItsSubtree() {
        var r = Fixture.translate(BACKENDS + root("root", "www", "www.example.com", toService("/", "home") + delegate("/blog/", "blog", "blog"))
                + child("blog", "blog", toService("/blog/posts", "posts")));
        assertThat(statuses(r)).contains(entry("blog/blog", "valid: valid IngressRoute"));
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("www.example.com", "/blog/posts/1"))).isEqualTo("posts");
        var outside = Fixture.translate(BACKENDS + root("root", "www", "www.example.com", toService("/", "home") + delegate("/blog/", "blog", "blog"))
                + child("blog", "blog", toService("/blogger", "posts")));
        assertThat(statuses(outside)).contains(entry("blog/blog",
                "invalid: the path prefix \"/blogger\" does not match the parent's path prefix \"/blog/\""));
        assertThat(servedBy(new EnvoySimulator(outside.resources()).http("www.example.com", "/blogger"))).isEqualTo("home");
    }

    /** Two levels down, an invalid object and a tolerated value are still reported on the object that has them. */
    @Test
    void aGrandchildsStatusAndNotesReachIt() {
        var r = Fixture.translate(BACKENDS + root("root", "www", "www.example.com", toService("/", "home") + delegate("/blog", "blog", "blog"))
                + child("blog", "blog", toService("/blog", "posts") + delegate("/blog/bad", "blog", "bad") + delegate("/blog/slow", "blog", "slow"))
                + child("blog", "bad", "  - {match: /blog/bad, services: [{name: posts, port: 0}]}\n")
                + child("blog", "slow", "  - {match: /blog/slow, timeoutPolicy: {request: 9999999999h}, services: [{name: posts, port: 80}]}\n"));
        assertThat(statuses(r)).contains(
                entry("blog/bad", "invalid: route \"/blog/bad\": service \"posts\": port must be in the range 1-65535"),
                entry("root/www", "valid: valid IngressRoute"));
        assertThat(statuses(r).get("blog/slow")).startsWith("valid: ").contains("timeoutPolicy.request \"9999999999h\"");
        assertThat(statuses(r).get("blog/blog")).startsWith("valid");
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("www.example.com", "/blog/slow"))).isEqualTo("posts");
        assertThat(servedBy(envoy.http("www.example.com", "/blog/bad"))).as("the parent's prefix route").isEqualTo("posts");
    }

    @Test
    void anInvalidObjectNeverChangesWhatOthersServe() {
        String good = root("root", "www", "www.example.com", toService("/", "home") + delegate("/blog", "blog", "blog"))
                + child("blog", "blog", toService("/blog", "posts"));
        var before = Fixture.translate(BACKENDS + good);
        String bad = child("blog", "blog", toService("/blog", "posts") + "  - {match: /blog/x, services: [{name: admin, port: 70000}]}\n");
        var after = Fixture.translate(BACKENDS + good.replace(child("blog", "blog", toService("/blog", "posts")), bad)
                + root("shop", "broken", "shop.example.com", "  - {match: /, services: [{name: nope, port: 80}]}\n"));
        assertThat(statuses(after)).contains(
                entry("blog/blog", "invalid: route \"/blog/x\": service \"admin\": port must be in the range 1-65535"),
                entry("shop/broken", "invalid: route \"/\": service \"nope\": service shop/nope not found"));
        // Only the invalid child's own routes disappear: the root's, and other hosts', stay exactly as they were.
        assertThat(servedBy(new EnvoySimulator(after.resources()).http("www.example.com", "/blog/1"))).isEqualTo("home");
        assertThat(servedBy(new EnvoySimulator(before.resources()).http("www.example.com", "/blog/1"))).isEqualTo("posts");
        assertThat(after.resources().listeners()).isEqualTo(before.resources().listeners());
        assertThat(servedBy(new EnvoySimulator(after.resources()).http("shop.example.com", "/"))).isEqualTo("404");
    }

    @Test
    void aTeamCannotBlowUpTheControllerWithADiamondOfDelegations() {
        // Each level delegates two prefixes to the next: 2^20 visits if followed blindly.
        StringBuilder yaml = new StringBuilder(BACKENDS + root("root", "www", "www.example.com",
                toService("/", "home") + delegate("/t", "blog", "level-0")));
        String prefix = "/t";
        for (int i = 0; i < 20; i++) {
            String next = prefix + "/n";
            yaml.append(child("blog", "level-" + i, delegate(next, "blog", "level-" + (i + 1))
                    + delegate(next + "/", "blog", "level-" + (i + 1))));
            prefix = next;
        }
        yaml.append(child("blog", "level-20", toService(prefix + "/x", "posts")));
        long t0 = System.nanoTime();
        var result = Fixture.translate(yaml.toString());
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(20_000);
        assertThat(statuses(result).get("root/www")).startsWith("invalid: ").contains("delegation tree is larger than");
        assertThat(servedBy(new EnvoySimulator(result.resources()).http("www.example.com", "/"))).as("the root says why instead")
                .isEqualTo("404");
    }
}
