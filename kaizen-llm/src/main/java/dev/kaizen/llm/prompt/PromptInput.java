package dev.kaizen.llm.prompt;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.operator.ProposalContext;
import dev.kaizen.core.target.Target;
import dev.kaizen.llm.edit.EditFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a prompt is made of.
 *
 * @param format       the edit format the reply must use
 * @param target       what is improved (name, description, objective, region names)
 * @param parent       the program to improve (parent A of a crossover)
 * @param second       parent B of a crossover; empty otherwise
 * @param inspirations other programs to show, most useful first (the last is dropped first)
 * @param insights     lessons learned so far, oldest first (the oldest is dropped first)
 */
public record PromptInput(EditFormat format, Target target, Candidate parent, Optional<Candidate> second, List<Candidate> inspirations,
                          List<String> insights) {

    public PromptInput {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(second, "second");
        inspirations = List.copyOf(inspirations);
        insights = List.copyOf(insights);
        if (format == EditFormat.CROSSOVER && second.isEmpty()) {
            throw new IllegalArgumentException("a crossover prompt needs a second parent");
        }
        if (format != EditFormat.CROSSOVER && second.isPresent()) {
            throw new IllegalArgumentException("only a crossover prompt shows a second parent, not a " + format + " prompt");
        }
    }

    /** A diff or rewrite prompt for an operator's context. */
    public static PromptInput of(EditFormat format, ProposalContext context, List<String> insights) {
        return new PromptInput(format, context.target(), context.parent(), Optional.empty(), context.inspirations(), insights);
    }

    /** A crossover prompt of {@code a} (the base) and {@code b}. */
    public static PromptInput crossover(Target target, Candidate a, Candidate b, List<Candidate> inspirations, List<String> insights) {
        return new PromptInput(EditFormat.CROSSOVER, target, a, Optional.of(b), inspirations, insights);
    }
}
