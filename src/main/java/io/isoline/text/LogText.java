package io.isoline.text;

/**
 * Text a client or tenant controls, made safe to log: control characters (newlines that would
 * forge log lines, terminal escapes) become {@code \xNN}, and anything past {@code max} characters
 * is cut with a note of how much was left out. Pure; thread-safe.
 */
public final class LogText {

    private LogText() {
    }

    public static String escape(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 16);
        int i = 0;
        for (; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (i < s.length()) {
            out.append("... (").append(s.length() - i).append(" more characters)");
        }
        return out.toString();
    }
}
