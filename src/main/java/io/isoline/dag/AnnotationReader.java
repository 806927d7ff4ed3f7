package io.isoline.dag;

import io.isoline.k8s.Annotations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one object's annotations. A value that does not parse is ignored, and a warning naming the
 * object, the annotation and the value is added to {@code warnings}: it is never passed on to Envoy.
 */
final class AnnotationReader {

    private final Map<String, String> annotations;
    private final String objectRef;
    private final List<String> warnings;

    /**
     * @param objectRef how warnings name the object, e.g. {@code Ingress default/web}
     */
    AnnotationReader(Map<String, String> annotations, String objectRef, List<String> warnings) {
        this.annotations = annotations == null ? Map.of() : annotations;
        this.objectRef = objectRef;
        this.warnings = warnings;
    }

    /** The value of a Contour annotation under either prefix, {@code projectcontour.io/} first. */
    Optional<String> contour(String suffix) {
        for (String prefix : Annotations.CONTOUR_PREFIXES) {
            String v = annotations.get(prefix + suffix);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The values of a Contour annotation under every prefix that has it. */
    List<String> contourAll(String suffix) {
        return Annotations.CONTOUR_PREFIXES.stream().map(p -> annotations.get(p + suffix)).filter(v -> v != null).toList();
    }

    /**
     * Contour annotations (either prefix) whose suffix is not in {@code supported}, each as a note
     * ("annotation X {@code why}, ignored"), sorted; each also goes to the warnings.
     */
    List<String> unsupportedContour(java.util.Set<String> supported, String why) {
        List<String> notes = new java.util.ArrayList<>();
        new java.util.TreeSet<>(annotations.keySet()).forEach(name -> {
            for (String prefix : Annotations.CONTOUR_PREFIXES) {
                if (name.startsWith(prefix) && !supported.contains(name.substring(prefix.length()))) {
                    String note = "annotation " + name + " " + why + ", ignored";
                    notes.add(note);
                    warnings.add(objectRef + ": " + note);
                }
            }
        });
        return notes;
    }

    /** The first of {@code names} that is set. */
    Optional<String> first(List<String> names) {
        return names.stream().map(annotations::get).filter(v -> v != null).findFirst();
    }

    /** A boolean annotation by full name; anything but "true"/"false" warns and gives the default. */
    boolean bool(String name, boolean defaultValue) {
        String v = annotations.get(name);
        if (v == null) {
            return defaultValue;
        }
        switch (v.trim().toLowerCase()) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                warn(name, v, "is not true or false");
                return defaultValue;
        }
    }

    Optional<Duration> duration(String suffix) {
        return contour(suffix).flatMap(v -> {
            Optional<Duration> d = GoDuration.parse(v);
            if (d.isEmpty()) {
                warn(suffix, v, "is not a duration (like 30s, 1m30s or infinity)");
            }
            return d;
        });
    }

    /**
     * A route timeout from the first of {@code suffixes} that is set (Contour annotations, either
     * prefix). A value that is not a duration means no timeout, as Contour reads it, with a warning.
     */
    Optional<Duration> timeout(String... suffixes) {
        for (String suffix : suffixes) {
            Optional<String> v = contour(suffix);
            if (v.isPresent()) {
                return Optional.of(GoDuration.parse(v.get()).orElseGet(() -> {
                    warnings.add(objectRef + ": annotation " + suffix + " value \"" + v.get()
                            + "\" is not a duration (like 30s, 1m30s or infinity); the route has no timeout, as in Contour");
                    return Duration.ZERO;
                }));
            }
        }
        return Optional.empty();
    }

    /** A Contour annotation holding a whole number from 0 to {@code Integer.MAX_VALUE}. */
    Optional<Integer> count(String suffix) {
        return contour(suffix).flatMap(v -> {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 0) {
                    return Optional.of(n);
                }
            } catch (NumberFormatException e) {
                // fall through to the warning
            }
            warn(suffix, v, "is not a whole number >= 0");
            return Optional.empty();
        });
    }

    void warn(String annotation, String value, String why) {
        warnings.add(objectRef + ": annotation " + annotation + " value \"" + value + "\" " + why + "; ignored");
    }
}
