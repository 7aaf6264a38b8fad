package dev.kaizen.core.operator;

import java.util.ArrayList;
import java.util.List;

/** The operators Kaizen ships. */
public final class Operators {

    private Operators() {}

    /** Everything that works with no language model: line edits and literal tuning. */
    public static List<Operator> offline() {
        List<Operator> ops = new ArrayList<>(LineEdit.all());
        ops.addAll(LiteralTuning.all());
        return List.copyOf(ops);
    }
}
