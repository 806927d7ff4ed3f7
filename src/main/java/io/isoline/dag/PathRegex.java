package io.isoline.dag;

import java.nio.charset.StandardCharsets;

/**
 * Regular expressions for Ingress paths (Contour's rule: an {@code ImplementationSpecific} path
 * containing any of {@code ^+*[]%} is a regex, matched against the whole path). Envoy compiles them
 * with RE2 and rejects the whole route table, every tenant's, for one it cannot compile or whose
 * program is larger than its limit (100 by default), so only a subset of RE2 that this class checks
 * exactly is accepted, and its program size is bounded from above:
 *
 * <ul>
 *   <li>literals (any character but {@code \.+*?()[]{}|^$}), {@code .}, {@code ^}, {@code $};
 *   <li>escapes of those metacharacters and of {@code / -}, and {@code \d \D \w \W \s \S};
 *   <li>classes {@code [...]} and {@code [^...]} of letters, digits, {@code -_.~!$'()*+,;=:@/%},
 *       ranges between them, those escapes, and {@code \[ \] \\ \^ \-};
 *   <li>groups {@code (...)} and {@code (?:...)}, alternation {@code |};
 *   <li>{@code * + ?}, {@code {n} {n,} {n,m}} (n, m at most 1000), each optionally lazy ({@code ?}).
 * </ul>
 *
 * Not accepted (RE2 differs from other engines there, or Envoy's configuration loader does):
 * {@code \x \p \Q \b} and other escapes, flags, named groups, POSIX classes, a quantifier after
 * an anchor or another quantifier.
 */
final class PathRegex {

    /** Envoy's default {@code re2.max_program_size.error_level}. */
    static final int MAX_PROGRAM_SIZE = 100;
    static final int MAX_LENGTH = 1024;
    private static final String METAS = "\\.+*?()[]{}|^$";
    private static final String CLASS_PUNCTUATION = "-_.~!$'()*+,;=:@/%";
    private static final String PERL_CLASSES = "dDwWsS";

    private final String text;
    private int pos;

    private PathRegex(String text) {
        this.text = text;
    }

    /** Contour's rule: which Ingress paths are regular expressions. */
    static boolean looksLikeRegex(String path) {
        return path.chars().anyMatch(c -> "^+*[]%".indexOf(c) >= 0);
    }

    /** The regex as Envoy gets it: anchored at the start, which RE2 compiles to a smaller program. */
    static String forEnvoy(String regex) {
        return regex.startsWith("^") ? regex : "^" + regex;
    }

    /** Why {@code regex} may not be sent to Envoy, or null when it may. */
    static String problem(String regex) {
        if (regex.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        try {
            int size = estimate(regex);
            if (size > MAX_PROGRAM_SIZE) {
                return "is too complex for Envoy (estimated RE2 program size " + size + ", at most " + MAX_PROGRAM_SIZE
                        + "): use fewer groups, alternatives and counted repetitions";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * An upper bound of the RE2 program size Envoy computes for {@link #forEnvoy}{@code (regex)}
     * (checked against real Envoy by {@code EnvoyRegexIT}).
     *
     * @throws IllegalArgumentException when {@code regex} is outside the accepted subset, saying why
     */
    static int estimate(String regex) {
        PathRegex p = new PathRegex(regex);
        // The anchor and the match instruction, and a margin of 2 (EnvoyRegexIT: literals are exact).
        int size = 4 + p.alternation();
        if (p.pos < regex.length()) {
            throw p.error("unbalanced ')'");
        }
        return size;
    }

    /** An upper bound of the RE2 program size of {@code alt ('|' alt)*}. */
    private int alternation() {
        int size = sequence();
        while (peek() == '|') {
            pos++;
            size += 2 + sequence();
        }
        return size;
    }

    private int sequence() {
        int size = 0;
        while (pos < text.length() && peek() != '|' && peek() != ')') {
            boolean anchor = peek() == '^' || peek() == '$';
            int atom = atom();
            size += quantified(atom, anchor);
        }
        return size;
    }

    private int quantified(int atom, boolean anchor) {
        char c = peek();
        int size;
        if (c == '*' || c == '+' || c == '?') {
            pos++;
            size = atom + 2;
        } else if (c == '{') {
            size = counted(atom);
        } else {
            return atom;
        }
        if (anchor) {
            throw error("a quantifier cannot follow an anchor");
        }
        if (peek() == '?') {
            pos++; // lazy
        }
        if ("*+?{".indexOf(peek()) >= 0) {
            throw error("a quantifier cannot follow another quantifier");
        }
        return size;
    }

    /**
     * {@code {n}}, {@code {n,}} or {@code {n,m}}: RE2 writes the atom out n times, and each optional
     * copy with a choice instruction ({@code x{2,4}} is {@code xx(x(x)?)?}).
     */
    private int counted(int atom) {
        pos++;
        int n = number();
        int m = n;
        boolean unbounded = false;
        if (peek() == ',') {
            pos++;
            if (peek() == '}') {
                unbounded = true;
            } else {
                m = number();
                if (m < n) {
                    throw error("a repetition {" + n + "," + m + "} has its maximum below its minimum");
                }
            }
        }
        if (peek() != '}') {
            throw error("a '{' must be a repetition like {2}, {2,} or {2,5} (write \\{ for a brace)");
        }
        pos++;
        if (unbounded) {
            return (n + 1) * (atom + 1) + 2;
        }
        return m == n ? n * atom + 2 : m * (atom + 1) + 2;
    }

    private int number() {
        int start = pos;
        while (pos < text.length() && pos - start < 5 && Character.isDigit(peek())) {
            pos++;
        }
        if (start == pos) {
            throw error("a '{' must be a repetition like {2}, {2,} or {2,5} (write \\{ for a brace)");
        }
        int n = Integer.parseInt(text.substring(start, pos));
        if (n > 1000) {
            throw error("a repetition count is above 1000");
        }
        return n;
    }

    private int atom() {
        char c = text.charAt(pos++);
        switch (c) {
            case '(' -> {
                if (text.startsWith("?:", pos)) {
                    pos += 2;
                } else if (peek() == '?') {
                    throw error("flags and named groups are not supported");
                }
                int inner = alternation();
                if (peek() != ')') {
                    throw error("missing ')'");
                }
                pos++;
                return inner + 2;
            }
            case '[' -> {
                return characterClass();
            }
            case '\\' -> {
                return escape(false);
            }
            case '.' -> {
                return 4;
            }
            case '^', '$' -> {
                return 2;
            }
            case '*', '+', '?', '{' -> throw error("'" + c + "' has nothing to repeat");
            case ')', ']', '}' -> throw error("unbalanced '" + c + "'");
            default -> {
                return literal(c);
            }
        }
    }

    private int literal(char c) {
        if (Character.isHighSurrogate(c) && pos < text.length()) {
            pos++;
            return 4;
        }
        return String.valueOf(c).getBytes(StandardCharsets.UTF_8).length;
    }

    /** After a backslash: an escaped metacharacter (size 1) or a Perl class (size 6). */
    private int escape(boolean inClass) {
        if (pos >= text.length()) {
            throw error("a trailing '\\' escapes nothing");
        }
        char e = text.charAt(pos++);
        if (PERL_CLASSES.indexOf(e) >= 0) {
            return 6;
        }
        if (METAS.indexOf(e) >= 0 || e == '/' || e == '-') {
            return 1;
        }
        throw error("the escape \\" + e + " is not supported" + (inClass ? " in a class" : ""));
    }

    /** Size 1 per item (a Perl class 6), and 4 more when negated (the rest of Unicode, in UTF-8). */
    private int characterClass() {
        int size = 1;
        if (peek() == '^') {
            pos++;
            size += 4;
        }
        if (peek() == ']') {
            throw error("an empty class '[]' (write \\] for a bracket)");
        }
        while (pos < text.length() && peek() != ']') {
            char c = text.charAt(pos++);
            if (c == '\\') {
                size += escape(true);
                continue;
            }
            if (!classChar(c)) {
                throw error("'" + c + "' is not supported in a class (write it escaped, or use a range of letters and digits)");
            }
            if (peek() == '-' && pos + 1 < text.length() && text.charAt(pos + 1) != ']') {
                pos++;
                char hi = text.charAt(pos++);
                if (hi == '\\' || !classChar(hi) || hi < c) {
                    throw error("the range " + c + "-" + hi + " is not a range of plain characters in order");
                }
            }
            size += 1;
        }
        if (peek() != ']') {
            throw error("missing ']'");
        }
        pos++;
        return size;
    }

    private static boolean classChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || CLASS_PUNCTUATION.indexOf(c) >= 0);
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException("is not a regex Isoline accepts: " + why + " (at character " + Math.min(pos, text.length()) + ")");
    }
}
