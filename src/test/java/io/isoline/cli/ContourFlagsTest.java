package io.isoline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.isoline.dag.DagOptions;
import io.isoline.xds.translate.TranslateOptions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Contour's {@code serve} flags: those that map to something Isoline has work as aliases; the
 * others are usage errors that say what to use instead, never a bare "unknown option".
 */
class ContourFlagsTest {

    private static TranslateOptions serve(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.options.toOptions();
    }

    private static String refused(String... args) {
        return catchThrowableOfType(CommandLine.ParameterException.class,
                () -> new CommandLine(new ServeCommand()).parseArgs(args)).getMessage();
    }

    @Test
    void contoursNamesForOurOptionsAreAliases() {
        TranslateOptions options = serve("--ingressroute-root-namespaces=roots,more", "--envoy-service-http-port=80",
                "--envoy-service-https-port", "443", "--envoy-service-http-address=10.0.0.1");
        assertThat(options.dag().rootNamespaces()).isEqualTo(Set.of("roots", "more"));
        assertThat(options.listeners().httpPort()).isEqualTo(80);
        assertThat(options.listeners().httpsPort()).isEqualTo(443);
        assertThat(options.listeners().address()).isEqualTo("10.0.0.1");
    }

    @Test
    void disablePermitInsecureIsAnOptionOffByDefault() {
        assertThat(serve().dag().disablePermitInsecure()).isFalse();
        assertThat(serve("--disable-permit-insecure").dag().disablePermitInsecure()).isTrue();
        assertThat(DagOptions.DEFAULT.disablePermitInsecure()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--incluster|in-cluster configuration by default",
        "--xds-port=8001|isoline.xds.port",
        "--xds-address=0.0.0.0|isoline.xds.address",
        "--stats-port=8002|isoline.management.port",
        "--http-port=8000|isoline.management.port",
        "--debug-http-port=6060|isoline.management.port",
        "--contour-cafile=/ca.crt|docs/configuration.md#tls-on-the-xds-port",
        "--insecure|plain text",
        "--envoy-http-access-log=/dev/stdout|--access-log",
        "--accesslog-format=json|--access-log",
        "--config-path=/contour.yaml|there is no configuration file",
        "--disable-leader-election|isoline.leader-election.enabled=false",
        "--envoy-service-name=envoy|isoline.status.envoy-service",
        "--ingress-status-address=1.2.3.4|isoline.status.address",
        "--use-proxy-protocol|not supported",
        "--debug|QUARKUS_LOG_CATEGORY__IO_ISOLINE__LEVEL"})
    void contourFlagsWithoutAnEquivalentSayWhatToUseInstead(String flag, String advice) {
        String message = refused(flag);
        assertThat(message).startsWith(flag.split("=")[0] + " is a Contour flag Isoline does not take").contains(advice);
    }
}
