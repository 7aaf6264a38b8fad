package dev.kaizen.core.archive;

import java.util.List;
import java.util.random.RandomGenerator;

/** Picks the parent of the next proposal from an island's elites (given fittest first, never empty). */
@FunctionalInterface
public interface ParentSelector {

    Candidate select(List<Candidate> elites, RandomGenerator random);
}
