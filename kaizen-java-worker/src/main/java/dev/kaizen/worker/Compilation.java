package dev.kaizen.worker;

import java.util.Objects;

/** The result of compiling sources: a program, or the compiler's errors. */
sealed interface Compilation {

    /** The sources compiled. */
    record Success(CompiledProgram program) implements Compilation {
        public Success {
            Objects.requireNonNull(program, "program");
        }
    }

    /** The sources did not compile; {@code diagnostics} is what to show a human or a model. */
    record Failure(String diagnostics) implements Compilation {
        public Failure {
            Objects.requireNonNull(diagnostics, "diagnostics");
        }
    }
}
