package dev.kaizen.llm.edit;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import java.util.Objects;
import java.util.Optional;

/** Applies a model's reply in a given {@link EditFormat} to a parent. Stateless. */
public final class Edits {

    private Edits() {}

    /**
     * The child that {@code reply} makes of {@code parent} (the first parent for a crossover), or why
     * there is none. {@code blueprint}, when given, lets a search/replace edit of fixed text be named
     * as such. Never throws for a bad reply.
     */
    public static EditResult apply(EditFormat format, Code parent, String reply, Optional<Blueprint> blueprint) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(blueprint, "blueprint");
        return switch (format) {
            case DIFF -> SearchReplace.edit(parent, reply, blueprint);
            case REWRITE -> FullRewrite.edit(parent, reply, "rewrite");
            case CROSSOVER -> FullRewrite.edit(parent, reply, "crossover");
        };
    }
}
