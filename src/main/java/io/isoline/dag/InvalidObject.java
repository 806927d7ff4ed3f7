package io.isoline.dag;

/**
 * Thrown while processing an object that turns out to be invalid; the message is the status
 * description (naming the field, route or service). Cheap: no stack trace, it is control flow.
 */
class InvalidObject extends Exception {

    InvalidObject(String description) {
        super(description, null, false, false);
    }

    /** A backend that does not resolve (no such Service or port, a refused ExternalName): HTTPProxy serves 503 there. */
    static final class Unresolved extends InvalidObject {
        Unresolved(String description) {
            super(description);
        }
    }
}
