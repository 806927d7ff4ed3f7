package io.isoline.dag;

import java.util.List;

/**
 * The outcome of processing one object, as {@code translate} prints it and the status writer
 * records it.
 *
 * @param currentStatus {@link #VALID}, {@link #INVALID} or {@link #ORPHANED}
 * @param errors        HTTPProxy only: the errors of its {@code Valid} condition, as Contour reports them
 * @param warnings      HTTPProxy only: its warnings
 */
public record ObjectStatus(String apiVersion, String kind, String namespace, String name,
        String currentStatus, String description, List<Problem> errors, List<Problem> warnings) {

    public static final String VALID = "valid";
    public static final String INVALID = "invalid";
    public static final String ORPHANED = "orphaned";

    public ObjectStatus {
        errors = errors == null ? List.of() : List.copyOf(errors);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public ObjectStatus(String apiVersion, String kind, String namespace, String name, String currentStatus, String description) {
        this(apiVersion, kind, namespace, name, currentStatus, description, List.of(), List.of());
    }

    /** The same status with its description cut to {@code description}. */
    ObjectStatus withDescription(String description) {
        return new ObjectStatus(apiVersion, kind, namespace, name, currentStatus, description, errors, warnings);
    }

    /**
     * A sub-condition of Contour's {@code Valid} condition.
     *
     * @param type   Contour's condition type ({@code IncludeError}, {@code TLSError}, ...)
     * @param reason Contour's reason ({@code IncludeCreatesCycle}, {@code SecretNotValid}, ...)
     */
    public record Problem(String type, String reason, String message) {
    }
}
