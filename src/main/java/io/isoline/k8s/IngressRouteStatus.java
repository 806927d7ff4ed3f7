package io.isoline.k8s;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What Isoline concluded about an IngressRoute: {@code valid}, {@code invalid} or {@code orphaned}, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IngressRouteStatus {
    public String currentStatus;
    public String description;

    /** Reads {@code status}; one that cannot be read is none. */
    public static final class Lenient extends LenientDecoding.LenientStatus<IngressRouteStatus> {
        public Lenient() {
            super(IngressRouteStatus.class);
        }
    }
}
