package dev.kaizen.core.eval;

import dev.kaizen.core.program.Code;
import java.util.Map;
import java.util.Objects;

/**
 * The program a candidate was derived from, with the metrics it was given, for evaluators that
 * measure a candidate relative to its parent (timing interleaved with the parent in one process,
 * so that machine load cancels out).
 */
public record Reference(Code code, Map<String, Double> metrics) {

    public Reference {
        Objects.requireNonNull(code, "code");
        metrics = Map.copyOf(metrics);
    }
}
