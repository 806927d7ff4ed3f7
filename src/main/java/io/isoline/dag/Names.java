package io.isoline.dag;

import java.util.regex.Pattern;

/**
 * Checks on user-supplied strings that become Envoy configuration, so that bad input is reported on
 * its object's status instead of being sent to Envoy, which would reject the whole route table (for
 * every team) and keep the previous one: a host must be a DNS name (RFC 1123, lower case after
 * normalisation), optionally with a {@code *.} first label; paths and rewrites must be free of
 * whitespace and control characters.
 */
final class Names {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]*");
    /** An HTTP token (RFC 9110): what header and cookie names are made of. */
    static final Pattern HTTP_TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

    private Names() {
    }

    /** Null when {@code host} (already lower case) is a valid host, else why not. */
    static String hostProblem(String host) {
        String name = host.startsWith("*.") ? host.substring(2) : host;
        if (name.isEmpty() || name.length() > 253) {
            return "is not a valid DNS name";
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return "is not a valid DNS name (labels are letters, digits and '-', a wildcard only as '*.' at the start)";
            }
        }
        return null;
    }

    /** Null when {@code path} starts with / and has no whitespace or control characters, else why not. */
    static String pathProblem(String path) {
        return PATH.matcher(path).matches() ? null : "must start with / and contain no spaces or control characters";
    }
}
