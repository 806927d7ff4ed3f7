package io.isoline.dag;

/**
 * The outcome of processing one object, as {@code translate} prints it and the status writer
 * records it.
 *
 * @param currentStatus {@link #VALID}, {@link #INVALID} or {@link #ORPHANED}
 */
public record ObjectStatus(String apiVersion, String kind, String namespace, String name,
        String currentStatus, String description) {

    public static final String VALID = "valid";
    public static final String INVALID = "invalid";
    public static final String ORPHANED = "orphaned";
}
