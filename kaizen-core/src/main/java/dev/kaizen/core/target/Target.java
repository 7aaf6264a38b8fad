package dev.kaizen.core.target;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What is being improved: a directory, its evolvable files, what "better" means and the axes of
 * diversity. How to evaluate it is the {@link dev.kaizen.core.eval.Evaluator}'s business.
 */
public record Target(String name, String description, Path root, Blueprint blueprint, Objective objective, List<Feature> features) {

    public Target {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(blueprint, "blueprint");
        Objects.requireNonNull(objective, "objective");
        features = List.copyOf(features);
    }
}
