package io.isoline.dag;

import java.util.Optional;

/** TLS protocol versions a listener may require as its minimum. */
public enum TlsVersion {
    TLS_1_2("1.2"),
    TLS_1_3("1.3");

    private final String text;

    TlsVersion(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The higher of an object's version and the operator's floor: an object may raise it, never lower it. */
    public TlsVersion atLeast(TlsVersion floor) {
        return compareTo(floor) >= 0 ? this : floor;
    }

    /** Parses "1.2" or "1.3"; anything else is empty. */
    public static Optional<TlsVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (TlsVersion v : values()) {
            if (v.text.equals(text.trim())) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
