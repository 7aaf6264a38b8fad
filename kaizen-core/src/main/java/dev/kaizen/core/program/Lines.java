package dev.kaizen.core.program;

import java.util.ArrayList;
import java.util.List;

/** Splitting and joining text by lines, the unit of Kaizen's language-agnostic edits. */
public final class Lines {

    private Lines() {}

    /** Splits on \n (a preceding \r is kept with the line); a final newline adds no empty line. */
    public static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    /** Joins lines with \n, adding a final newline when asked and there is at least one line. */
    public static String join(List<String> lines, boolean finalNewline) {
        if (lines.isEmpty()) {
            return "";
        }
        String joined = String.join("\n", lines);
        return finalNewline ? joined + "\n" : joined;
    }
}
