package dev.kaizen.java.gi;

import java.util.List;
import java.util.Objects;

/**
 * A text edit of one hole of a rendered Java file: replacements of character ranges (offsets in the
 * rendered file, non-overlapping) and the account of the edit without the operator name.
 */
record Splice(ParsedProgram.JavaFile file, ParsedProgram.Hole hole, List<Edit> edits, String description) {

    /** Replace {@code [start, end)} of the rendered file by {@code text}; an insertion has {@code start == end}. */
    record Edit(int start, int end, String text) {
        Edit {
            Objects.requireNonNull(text, "text");
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
            }
        }
    }

    Splice {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(hole, "hole");
        edits = List.copyOf(edits);
        Objects.requireNonNull(description, "description");
    }

    /** Replaces a node's text. */
    static Splice replace(ParsedProgram.Span span, String text, String description) {
        return new Splice(span.file(), span.hole(), List.of(new Edit(span.start(), span.end(), text)), description);
    }
}
