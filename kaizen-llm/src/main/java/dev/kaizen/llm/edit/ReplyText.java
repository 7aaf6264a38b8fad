package dev.kaizen.llm.edit;

import dev.kaizen.core.program.Lines;
import dev.kaizen.core.target.Blueprint;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Line handling shared by the reply parsers: newlines, fences, names, similarity. */
final class ReplyText {

    private ReplyText() {}

    /** The reply's lines, with CRLF and lone CR read as LF; a final newline adds no empty line. */
    static List<String> lines(String reply) {
        return Lines.split(reply.indexOf('\r') < 0 ? reply : reply.replace("\r\n", "\n").replace('\r', '\n'));
    }

    /** A fence line: its character, its length and the info after it; empty when the line is no fence. */
    record Fence(char ch, int length, String info) {
        boolean closes(Fence open) {
            return ch == open.ch && length >= open.length && info.isEmpty();
        }
    }

    static Optional<Fence> fence(String line) {
        String s = line.strip();
        if (s.length() < 3) {
            return Optional.empty();
        }
        char c = s.charAt(0);
        if (c != '`' && c != '~') {
            return Optional.empty();
        }
        int n = 0;
        while (n < s.length() && s.charAt(n) == c) {
            n++;
        }
        if (n < 3) {
            return Optional.empty();
        }
        String info = s.substring(n).strip();
        if (c == '`' && info.indexOf('`') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new Fence(c, n, info));
    }

    /**
     * A region or file name from a line that names one ({@code ### region: a.py#1}, {@code a.py},
     * {@code **File: `a.py`**}); empty when the line is prose.
     */
    static Optional<String> name(String line) {
        String s = line.strip();
        s = strip(s, "#*`> ");
        String lower = s.toLowerCase(Locale.ROOT);
        for (String prefix : List.of("region:", "file:", "path:", "filename:", "in ")) {
            if (lower.startsWith(prefix)) {
                s = s.substring(prefix.length());
                break;
            }
        }
        s = strip(s, "*`:\" '");
        if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace)) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    private static String strip(String s, String chars) {
        int a = 0;
        int b = s.length();
        while (a < b && chars.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && chars.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

    /** The evolve marker {@code text} holds, if any. */
    static Optional<String> marker(String text) {
        if (text.contains(Blueprint.START)) {
            return Optional.of(Blueprint.START);
        }
        if (text.contains(Blueprint.END)) {
            return Optional.of(Blueprint.END);
        }
        return Optional.empty();
    }

    static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    static boolean blank(String s) {
        return s.isBlank();
    }

    /** The leading whitespace of a line. */
    static String indent(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return s.substring(0, i);
    }

    /** A line's sorted character bigrams (of its stripped text), for {@link #similarity}. */
    static int[] bigrams(String line) {
        String s = line.strip();
        if (s.length() < 2) {
            return s.isEmpty() ? new int[0] : new int[] {s.charAt(0)};
        }
        int[] out = new int[s.length() - 1];
        for (int i = 0; i + 1 < s.length(); i++) {
            out[i] = (s.charAt(i) << 16) | s.charAt(i + 1);
        }
        Arrays.sort(out);
        return out;
    }

    /** Dice coefficient of two bigram multisets: 1 for equal lines, 0 for nothing in common. */
    static double similarity(int[] a, int[] b) {
        if (a.length == 0 && b.length == 0) {
            return 1;
        }
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return 2.0 * common / (a.length + b.length);
    }

    /** At most {@code max} characters of a line, for quoting it in an error. */
    static String clip(String line, int max) {
        return line.length() <= max ? line : line.substring(0, max) + " ...";
    }
}
