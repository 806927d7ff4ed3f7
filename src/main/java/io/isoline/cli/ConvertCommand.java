package io.isoline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.isoline.convert.IngressRouteConverter;
import io.isoline.source.ManifestLoader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code convert -f PATH...}: the IngressRoutes and contour.heptio.com TLSCertificateDelegations in
 * the manifests, as HTTPProxies and projectcontour.io/v1 delegations (YAML on stdout); what could not
 * be carried over exactly is a comment above the object and a line on stderr. Other objects are not
 * printed. Unparseable input exits 2, as {@code translate}.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Turn IngressRoute manifests (contour.heptio.com/v1beta1) into HTTPProxy manifests (projectcontour.io/v1).")
public class ConvertCommand implements Callable<Integer> {

    /** The writer, made on first use: picocli makes every subcommand for every start. */
    private static final class Writer {
        static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build());
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestPaths manifests;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ManifestLoader.Loaded loaded = manifests.load(err);
        if (loaded == null) {
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        IngressRouteConverter.Result result = IngressRouteConverter.convert(loaded.state());
        PrintWriter out = spec.commandLine().getOut();
        String separator = "";
        for (HasMetadata object : result.objects()) {
            out.print(separator);
            separator = "---\n";
            String name = object.getKind().equals("HTTPProxy") ? "IngressRoute " : object.getKind() + " ";
            String key = name + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
            result.notes().stream().filter(n -> n.object().equals(key))
                    .forEach(n -> out.println("# isoline convert: " + n.message()));
            out.print(yaml(object));
        }
        out.flush();
        loaded.warnings().forEach(w -> err.println("warning: " + w));
        result.notes().forEach(n -> err.println("note: " + n));
        err.println("converted " + result.objects().size() + " objects, " + result.notes().size() + " notes");
        err.flush();
        return 0;
    }

    /** The object as a user writes it: apiVersion, kind, metadata (name, namespace, labels, annotations), spec. */
    static String yaml(HasMetadata object) throws Exception {
        ObjectNode node = Writer.YAML.createObjectNode();
        node.put("apiVersion", object.getApiVersion());
        node.put("kind", object.getKind());
        ObjectNode meta = node.putObject("metadata");
        meta.put("name", object.getMetadata().getName());
        meta.put("namespace", object.getMetadata().getNamespace());
        if (object.getMetadata().getLabels() != null && !object.getMetadata().getLabels().isEmpty()) {
            meta.set("labels", Writer.YAML.valueToTree(object.getMetadata().getLabels()));
        }
        if (object.getMetadata().getAnnotations() != null && !object.getMetadata().getAnnotations().isEmpty()) {
            meta.set("annotations", Writer.YAML.valueToTree(object.getMetadata().getAnnotations()));
        }
        Object spec = object instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> cr ? cr.getSpec() : null;
        node.set("spec", Writer.YAML.valueToTree(spec));
        return Writer.YAML.writeValueAsString(node);
    }
}
