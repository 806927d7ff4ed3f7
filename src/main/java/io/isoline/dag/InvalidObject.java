package io.isoline.dag;

/**
 * Thrown while processing an object that turns out to be invalid; the message is the status
 * description (naming the field, route or service). Cheap: no stack trace, it is control flow.
 */
final class InvalidObject extends Exception {

    InvalidObject(String description) {
        super(description, null, false, false);
    }
}
