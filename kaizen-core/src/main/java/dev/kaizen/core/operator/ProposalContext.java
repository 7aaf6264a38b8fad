package dev.kaizen.core.operator;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.target.Target;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** What an operator sees: the target, the parent, a few other good programs, and its random source. */
public record ProposalContext(Target target, Candidate parent, List<Candidate> inspirations, RandomGenerator random) {

    public ProposalContext {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(parent, "parent");
        inspirations = List.copyOf(inspirations);
        Objects.requireNonNull(random, "random");
    }
}
