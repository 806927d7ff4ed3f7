package io.isoline.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The {@code isoline} command and its subcommands. */
@TopCommand
@Command(name = "isoline", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Envoy control plane for Kubernetes ingress, compatible with Contour's object model.",
        subcommands = {ServeCommand.class, TranslateCommand.class, ConvertCommand.class, BootstrapCommand.class, XdsClientCommand.class,
                CertgenCommand.class, EnvoyShutdownManagerCommand.class})
public class IsolineCommand {
}
