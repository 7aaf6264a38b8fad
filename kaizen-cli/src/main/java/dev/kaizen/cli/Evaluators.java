package dev.kaizen.cli;

import dev.kaizen.config.GuardSpec;
import dev.kaizen.config.JavaSpec;
import dev.kaizen.config.KaizenConfig;
import dev.kaizen.config.SandboxConfig;
import dev.kaizen.core.eval.Evaluator;
import dev.kaizen.core.operator.LiteralTuning;
import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Operators;
import dev.kaizen.eval.CommandEvaluator;
import dev.kaizen.eval.WorkGuard;
import dev.kaizen.java.ClasspathSource;
import dev.kaizen.java.JavaEvaluator;
import dev.kaizen.java.JavaEvaluatorException;
import dev.kaizen.java.JavaSettings;
import dev.kaizen.java.gi.JavaOperators;
import dev.kaizen.llm.operator.LlmSession;
import dev.kaizen.sandbox.Sandbox;
import dev.kaizen.sandbox.SandboxLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the evaluator and the operators a configuration asks for. */
final class Evaluators {

    private Evaluators() {}

    /**
     * The configured evaluator, confined by {@code sandbox}: command stages run in copies of the
     * target under {@code work}, or a pool of warm Java workers ({@code workers} of them unless the
     * configuration says).
     */
    static Evaluator open(KaizenConfig config, Path work, int workers, Sandbox sandbox) {
        if (config.java().isEmpty()) {
            GuardSpec guard = config.guard();
            try {
                return CommandEvaluator.of(config.target().blueprint(), config.target().root(), config.stages(),
                        config.target().objective(), work, config.exclude(), sandbox, limits(config),
                        new WorkGuard(guard.writable(), guard.protect()));
            } catch (IllegalArgumentException e) {
                throw new CliException("cannot set up the command evaluator for " + config.target().root() + ": " + e.getMessage());
            }
        }
        JavaSettings settings = javaSettings(config, workers, sandbox);
        try {
            return JavaEvaluator.of(config.target().blueprint(), settings, config.target().objective());
        } catch (JavaEvaluatorException | IllegalArgumentException e) {
            throw new CliException("cannot start the java evaluator for " + config.target().root() + ": " + e.getMessage());
        }
    }

    /** The java evaluator's settings from {@code evaluator: { type: java }}. */
    static JavaSettings javaSettings(KaizenConfig config, int workers, Sandbox sandbox) {
        JavaSpec spec = config.java().orElseThrow();
        JavaSettings.Builder b = JavaSettings.builder(config.target().root(), spec.tests())
                .classpath(spec.maven() ? ClasspathSource.maven() : ClasspathSource.entries(spec.classpath().orElseThrow()))
                .classDirs(spec.classDirs())
                .workers(spec.workers().orElse(workers))
                .workerHeap((long) spec.heapMiB() << 20)
                .jvmArgs(spec.jvmArgs())
                .candidateTimeout(spec.timeout())
                .testTimeout(spec.testTimeout())
                .adaptiveLimits(spec.adaptiveTimeouts())
                .countCost(spec.cost())
                .failingTests(JavaSettings.FailingTests.valueOf(spec.failingTests().name()))
                .recycleAfter(spec.recycleAfter())
                .release(spec.release())
                .allow(config.guard().allow())
                .forbid(config.guard().forbid())
                .sandbox(sandbox)
                .workerProcesses(config.sandbox().processes());
        if (config.sandbox().memoryBytes() != SandboxConfig.DEFAULT_MEMORY) {
            b.workerMemory(config.sandbox().memoryBytes());
        }
        if (!spec.scoreMethod().isEmpty()) {
            b.scoreMethod(spec.scoreMethod());
        }
        spec.timing().ifPresentOrElse(
                t -> b.warmup(t.warmup()).rounds(t.rounds()).confidence(t.confidence()),
                () -> b.rounds(0));
        return b.build();
    }

    /** The sandbox limits of one command evaluation, from {@code sandbox:}. */
    static SandboxLimits limits(KaizenConfig config) {
        SandboxConfig c = config.sandbox();
        try {
            return new SandboxLimits(c.cpuTime(), c.memoryBytes(), c.processes(), c.diskBytes(), c.tmpBytes());
        } catch (IllegalArgumentException e) {
            throw new CliException("sandbox: " + e.getMessage());
        }
    }

    /**
     * The language-model operators of {@code llm} (when configured) and the offline operators
     * (unless {@code llm.offline_operators} is false).
     *
     * <p>The offline operators. For a target that evolves Java sources, the Java AST edits take the
     * place of the line edits: on the repair example 86% of line edits did not compile, against 3%
     * of AST edits, and every proposal that cannot compile is an evaluation spent for nothing.
     * Numeric tuning stays for both.
     */
    static List<Operator> operators(KaizenConfig config, Optional<LlmSession> llm) {
        List<Operator> ops = new ArrayList<>();
        llm.ifPresent(session -> ops.addAll(session.operators(config.llm().orElseThrow().formats())));
        if (llm.isEmpty() || config.llm().orElseThrow().offlineOperators()) {
            ops.addAll(offline(config));
        }
        return List.copyOf(ops);
    }

    private static List<Operator> offline(KaizenConfig config) {
        if (!JavaOperators.hasJavaRegions(config.target())) {
            return Operators.offline();
        }
        List<Operator> ops = new ArrayList<>(JavaOperators.all());
        ops.addAll(LiteralTuning.all());
        return List.copyOf(ops);
    }
}
