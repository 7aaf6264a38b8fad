package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** One kind of Java edit: where it can apply in a program, and one random edit at a chosen site. */
interface Mutation {

    /** The editable nodes this mutation may start from, in document order (memoized per program by the caller). */
    List<? extends Node> sites(ParsedProgram program);

    /** A random edit at {@code site}, or empty when the draw found nothing to do there. */
    Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random);
}
