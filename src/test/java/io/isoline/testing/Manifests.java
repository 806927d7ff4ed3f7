package io.isoline.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;

/** YAML snippets for the objects tests need most often. */
public final class Manifests {

    private Manifests() {
    }

    /** A Service with one named port (80 -> named target port) and an EndpointSlice of ready IPs. */
    public static String backend(String namespace, String name, String... ips) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  ports: [{name: http, port: 80, targetPort: web}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %1$s-1
                  namespace: %2$s
                  labels: {kubernetes.io/service-name: %1$s}
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints: [%3$s]
                ---
                """.formatted(name, namespace, Arrays.stream(ips)
                .map(ip -> "{addresses: [\"" + ip + "\"]}").collect(Collectors.joining(", ")));
    }

    /**
     * A Service (port 80 named {@code http}, with {@code annotations}, a YAML flow map or "") whose
     * EndpointSlices point at real {@link Backend}s, one slice per backend (they listen on
     * different ports).
     */
    public static String serviceFor(String namespace, String name, String annotations, Backend... backends) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s, namespace: %2$s%3$s}
                spec:
                  ports: [{name: http, port: 80, targetPort: http}]
                ---
                """.formatted(name, namespace, annotations.isEmpty() ? "" : ", annotations: " + annotations));
        for (Backend b : backends) {
            yaml.append("""
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata:
                      name: %1$s-%3$s
                      namespace: %2$s
                      labels: {kubernetes.io/service-name: %1$s}
                    addressType: IPv4
                    ports: [{name: http, port: %4$d}]
                    endpoints: [{addresses: ["%5$s"]}]
                    ---
                    """.formatted(name, namespace, b.name, b.port, b.ip));
        }
        return yaml.toString();
    }

    /** A kubernetes.io/tls Secret holding the PEM files of {@code pair}. */
    public static String tlsSecret(String namespace, String name, Certificates.Pair pair) {
        try {
            return secret(namespace, name, "kubernetes.io/tls", java.nio.file.Files.readString(pair.cert()),
                    java.nio.file.Files.readString(pair.key()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An Ingress in {@code default} with a single rule: host, path, pathType -> service:80. */
    public static String ingress(String name, String host, String path, String pathType, String service) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: %s, namespace: default}
                spec:
                  rules:
                  - %shttp:
                      paths:
                      - {path: "%s", pathType: %s, backend: {service: {name: %s, port: {number: 80}}}}
                ---
                """.formatted(name, host == null ? "" : "host: \"" + host + "\"\n    ", path, pathType, service);
    }

    /** A kubernetes.io/tls Secret holding the test certificate (see src/test/resources/tls). */
    public static String tlsSecret(String namespace, String name) {
        return secret(namespace, name, "kubernetes.io/tls", resource("tls/test.crt"), resource("tls/test.key"));
    }

    /** A Secret with the given type and PEM contents (null leaves the field out). */
    public static String secret(String namespace, String name, String type, String crt, String key) {
        String data = (crt == null ? "" : "\n  tls.crt: " + b64(crt)) + (key == null ? "" : "\n  tls.key: " + b64(key));
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: %s, namespace: %s}
                type: %s
                data:%s
                ---
                """.formatted(name, namespace, type, data.isEmpty() ? " {}" : data);
    }

    /** An Opaque Secret with one PEM file under {@code field} ({@code ca.crt}, {@code crl.pem}), as stringData. */
    public static String pemSecret(String namespace, String name, String field, String pem) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: %s, namespace: %s}
                type: Opaque
                stringData:
                  %s: |
                %s
                ---
                """.formatted(name, namespace, field, pem.stripTrailing().indent(4).stripTrailing());
    }

    public static String resource(String path) {
        try (InputStream in = Manifests.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
