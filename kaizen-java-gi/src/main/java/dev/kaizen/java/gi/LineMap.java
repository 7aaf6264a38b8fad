package dev.kaizen.java.gi;

import com.github.javaparser.Position;
import java.util.Arrays;

/**
 * Line starts of a text, to turn JavaParser positions into character offsets. JavaParser counts
 * lines on {@code \n}, {@code \r\n} and {@code \r}, and columns in UTF-16 characters from 1 with a
 * tab counting as one column (the default tab size), so an offset is the line's start plus the
 * column minus one.
 */
final class LineMap {

    private final String text;
    private final int[] starts;

    private LineMap(String text, int[] starts) {
        this.text = text;
        this.starts = starts;
    }

    static LineMap of(String text) {
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        return new LineMap(text, Arrays.copyOf(starts, n));
    }

    /** The offset of a position (the position's character, so an end position gives the last character). */
    int offset(Position p) {
        if (p.line < 1 || p.line > starts.length) {
            return -1;
        }
        return starts[p.line - 1] + p.column - 1;
    }

    /** The 1-based line holding an offset. */
    int line(int offset) {
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i + 1 : -i - 1;
    }

    int lineStart(int offset) {
        return starts[line(offset) - 1];
    }

    /** The offset of the line terminator after {@code offset} (or the end of the text). */
    int lineEnd(int offset) {
        int i = offset;
        while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    /** The offset just after the line terminator following {@code offset}. */
    int nextLineStart(int offset) {
        int i = lineEnd(offset);
        if (i < text.length() && text.charAt(i) == '\r') {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '\n') {
            i++;
        }
        return i;
    }

    /** Whether only spaces and tabs lie between the start of the line and {@code offset}. */
    boolean blankBefore(int offset) {
        return text.substring(lineStart(offset), offset).isBlank();
    }

    /** Whether only spaces and tabs lie between {@code offset} and the end of its line. */
    boolean blankAfter(int offset) {
        return text.substring(offset, lineEnd(offset)).isBlank();
    }

    /** The leading spaces and tabs of the line holding {@code offset}. */
    String indentAt(int offset) {
        int s = lineStart(offset);
        int i = s;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return text.substring(s, i);
    }

    /** The line terminator of the line holding {@code offset}, or the text's first one, or {@code \n}. */
    String newlineAt(int offset) {
        int e = lineEnd(offset);
        if (e < text.length()) {
            return text.startsWith("\r\n", e) ? "\r\n" : String.valueOf(text.charAt(e));
        }
        return text.contains("\r\n") ? "\r\n" : "\n";
    }
}
