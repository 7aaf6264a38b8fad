package dev.kaizen.java.gi;

/** Text helpers for edits: one-line snippets for descriptions and re-indenting moved code. */
final class SourceText {

    static final int SNIPPET_LENGTH = 60;

    private SourceText() {}

    /** {@code text} on one line (whitespace runs collapsed), cut to {@value #SNIPPET_LENGTH} characters with an ellipsis. */
    static String snippet(String text) {
        String one = text.strip().replaceAll("\\s+", " ");
        return one.length() <= SNIPPET_LENGTH ? one : one.substring(0, SNIPPET_LENGTH - 1) + "…";
    }

    /** A backquoted snippet. */
    static String quote(String text) {
        return "`" + snippet(text) + "`";
    }

    /**
     * Moves code from one indentation to another: its first line is taken as is (code starts at its
     * first token); each further line loses {@code from} as a prefix (or, failing that, its leading
     * blanks) and gains {@code to}. Line terminators are kept.
     */
    static String reindent(String text, String from, String to) {
        if (from.equals(to) || text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int i = 0;
        boolean first = true;
        while (i < text.length()) {
            int end = i;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            String line = text.substring(i, end);
            if (first) {
                out.append(line);
                first = false;
            } else if (line.isBlank()) {
                out.append(line);
            } else if (line.startsWith(from)) {
                out.append(to).append(line, from.length(), line.length());
            } else {
                out.append(to).append(line.stripLeading());
            }
            int next = end;
            if (next < text.length() && text.charAt(next) == '\r') {
                next++;
            }
            if (next < text.length() && text.charAt(next) == '\n') {
                next++;
            }
            out.append(text, end, next);
            i = next;
        }
        return out.toString();
    }
}
