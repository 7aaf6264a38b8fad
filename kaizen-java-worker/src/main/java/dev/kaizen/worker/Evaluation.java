package dev.kaizen.worker;

import dev.kaizen.worker.wire.EvaluateRequest;
import dev.kaizen.worker.wire.EvaluateResponse.Status;
import dev.kaizen.worker.wire.TestResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One candidate's work, done on its own runner thread: compile, load the test classes, run the
 * tests, call the scoring method, time it against the reference, count its cost. The fields are
 * this candidate's scratch space: written by the runner, read by the watching thread once the
 * runner has ended (or, after a timeout, through {@link #progress()} and the volatile fields).
 * Nothing here keeps a class loader or a class once {@link #run()} returns.
 *
 * <p>Timing is skipped when a test failed: the host has no use for the speed of a wrong program.
 */
final class Evaluation implements Runnable {

    private final EvaluateRequest request;
    private final CandidateEvaluator worker;
    private final Progress progress = new Progress();

    volatile Status status = Status.COMPLETED;
    volatile String detail = "";
    volatile List<TestResult> tests = List.of();
    volatile double score = Double.NaN;
    volatile long[] candidateNanos = new long[0];
    volatile long[] referenceNanos = new long[0];
    volatile long cost = -1;
    volatile long compileNanos;
    volatile String recycleReason = "";
    private final List<String> notes = new ArrayList<>();

    Evaluation(EvaluateRequest request, CandidateEvaluator worker) {
        this.request = request;
        this.worker = worker;
    }

    Progress progress() {
        return progress;
    }

    @Override
    public void run() {
        Thread self = Thread.currentThread();
        try {
            evaluate(self);
        } catch (OutOfMemoryError e) {
            CandidateEvaluator.releaseReserve();
            crash("OutOfMemoryError: " + e.getMessage() + " (max heap " + MemoryStatus.maxHeapMib() + " MiB)");
            recycleReason = "out of memory";
        } catch (CandidateExit e) {
            crash(Failures.headline(e));
        } catch (Throwable e) {
            OutOfMemoryError oom = Failures.outOfMemory(e);
            if (oom != null) {
                CandidateEvaluator.releaseReserve();
                crash("OutOfMemoryError: " + oom.getMessage() + " (max heap " + MemoryStatus.maxHeapMib() + " MiB)");
                recycleReason = "out of memory";
            } else {
                crash("the worker failed while " + progress.phase() + ": " + Failures.headline(e));
                recycleReason = "internal error in the worker";
            }
        } finally {
            self.setContextClassLoader(ClassLoader.getSystemClassLoader());
            if (!notes.isEmpty()) {
                String joined = String.join("\n", notes);
                detail = detail.isEmpty() ? joined : detail + "\n" + joined;
            }
        }
    }

    private void evaluate(Thread self) throws Exception {
        progress.phase("compiling");
        long start = System.nanoTime();
        Compilation compiled = worker.compiler().compile(request.sources());
        compileNanos = System.nanoTime() - start;
        switch (compiled) {
            case Compilation.Failure f -> {
                status = Status.COMPILE_ERROR;
                detail = f.diagnostics();
            }
            case Compilation.Success s -> run(self, s.program());
        }
    }

    private void run(Thread self, CompiledProgram program) throws Exception {
        progress.phase("checking the bytecode");
        Optional<String> refused = worker.guard().check(program);
        if (refused.isPresent()) {
            status = Status.REFUSED;
            detail = refused.get();
            return;
        }
        CandidateLoader loader = worker.loader("candidate", program, ClassTransform.GUARDED);
        self.setContextClassLoader(loader);
        progress.phase("loading test classes");
        Optional<List<Class<?>>> loaded = load(request.tests(), loader);
        if (loaded.isEmpty()) {
            return;
        }
        List<Class<?>> testClasses = loaded.get();
        if (!testClasses.isEmpty()) {
            progress.phase("running tests");
            TestRunner.Run run = worker.tests().run(testClasses, progress, true);
            tests = run.results();
            if (run.outOfMemory() != null) {
                throw run.outOfMemory();
            }
        }
        ScoreMethod scoring = null;
        if (!request.scoreMethod().isEmpty()) {
            progress.phase("calling the score method");
            Optional<ScoreMethod> resolved = resolve(loader);
            if (resolved.isEmpty()) {
                return;
            }
            scoring = resolved.get();
            try {
                score = ScoreMethod.score(scoring.call());
            } catch (ScoreMethod.Threw e) {
                crashBecause("score method " + request.scoreMethod() + " threw ", e.getCause());
                return;
            }
        }
        if (scoring != null && request.rounds() > 0 && tests.stream().noneMatch(this::failed)) {
            // Timed in a loader of its own, like the reference: the tests' loader has been profiled
            // on the tests' inputs, and an identical program with another JIT history measured up
            // to 1.7 times faster than itself.
            if (!time(program)) {
                return;
            }
        }
        if (request.countCost()) {
            countCost(self, program, testClasses);
        }
    }

    /** Loads the test classes without initializing them; empty (and a crash) when one cannot be loaded. */
    private Optional<List<Class<?>>> load(List<String> names, ClassLoader loader) {
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            try {
                classes.add(Class.forName(name, false, loader));
            } catch (ClassNotFoundException e) {
                crash("test class " + name + " not found: it is neither in the candidate's sources nor in the project's class directories");
                return Optional.empty();
            } catch (LinkageError e) {
                crash("test class " + name + " could not be loaded: " + Failures.describe(e));
                return Optional.empty();
            }
        }
        return Optional.of(classes);
    }

    private Optional<ScoreMethod> resolve(ClassLoader loader) {
        try {
            return Optional.of(ScoreMethod.resolve(request.scoreMethod(), loader));
        } catch (ScoreMethod.Unusable e) {
            crash(e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Times the scoring method, against the reference when there is one; false after a crash.
     *
     * <p>Each trial loads both programs afresh, and the JIT compiles each loader's copy on its own:
     * two copies of one program compiled differently measured 1.1 to 3 times apart in an A/A test.
     * So a candidate that looks faster than its reference is timed again in new loaders, loaded in
     * the other order (what is loaded and compiled first can be favoured the same way twice), and
     * the less favourable trial is reported: a speed-up is credited only when it replicates.
     */
    private boolean time(CompiledProgram program) {
        CompiledProgram referenceProgram = null;
        if (!request.referenceSources().isEmpty()) {
            progress.phase("compiling the reference");
            long start = System.nanoTime();
            Compilation compiled = worker.compiler().compile(request.referenceSources());
            compileNanos += System.nanoTime() - start;
            switch (compiled) {
                case Compilation.Failure f -> notes.add("the reference did not compile, so the candidate was timed alone:\n"
                        + f.diagnostics());
                case Compilation.Success s -> {
                    Optional<String> refused = worker.guard().check(s.program());
                    if (refused.isPresent()) {
                        notes.add("the reference was refused by the bytecode guard, so the candidate was timed alone: "
                                + refused.get().lines().findFirst().orElse(""));
                    } else {
                        referenceProgram = s.program();
                    }
                }
            }
        }
        progress.phase("timing");
        try {
            Optional<Timing.Samples> first = trial(program, referenceProgram, request.seed(), false);
            if (first.isEmpty()) {
                return false;
            }
            Timing.Samples kept = first.get();
            if (kept.reference().length > 0 && Timing.ratio(kept) < REPLICATE_BELOW) {
                progress.phase("timing again");
                Optional<Timing.Samples> second = trial(program, referenceProgram, request.seed() + 1, true);
                if (second.isPresent()) {
                    notes.add(String.format(java.util.Locale.ROOT, "timed twice in fresh loaders: median ratios %.3f and %.3f; the larger is reported",
                            Timing.ratio(kept), Timing.ratio(second.get())));
                    if (Timing.ratio(second.get()) > Timing.ratio(kept)) {
                        kept = second.get();
                    }
                }
            }
            candidateNanos = kept.candidate();
            referenceNanos = kept.reference();
            return true;
        } catch (ScoreMethod.Threw e) {
            crashBecause("score method " + request.scoreMethod() + " threw while being timed: ", e.getCause());
            return false;
        }
    }

    /** A candidate whose median time is below this fraction of its reference's is timed a second time. */
    private static final double REPLICATE_BELOW = 0.97;

    /**
     * One timing trial with both programs in loaders of their own (the tests' loader has been
     * profiled on the tests' inputs); empty when a program is unusable (a crash for the candidate,
     * a note and a lone candidate for the reference).
     */
    private Optional<Timing.Samples> trial(CompiledProgram program, CompiledProgram referenceProgram, long seed, boolean referenceFirst)
            throws ScoreMethod.Threw {
        ScoreMethod reference = referenceFirst ? reference(referenceProgram) : null;
        Optional<ScoreMethod> candidate = resolve(worker.loader("timing", program, ClassTransform.GUARDED));
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        if (!referenceFirst) {
            reference = reference(referenceProgram);
        }
        return Optional.of(Timing.measure(candidate.get(), reference, request.warmup(), request.rounds(), seed));
    }

    /** The reference's scoring method in a loader of its own; null (and a note) when there is none or it is unusable. */
    private ScoreMethod reference(CompiledProgram referenceProgram) {
        if (referenceProgram == null) {
            return null;
        }
        try {
            return ScoreMethod.resolve(request.scoreMethod(), worker.loader("reference", referenceProgram, ClassTransform.GUARDED));
        } catch (ScoreMethod.Unusable e) {
            notes.add("the reference is unusable, so the candidate was timed alone: " + e.getMessage());
            return null;
        }
    }

    /** Runs the scoring method (or, without one, the tests) once more with every basic block counted. */
    private void countCost(Thread self, CompiledProgram program, List<Class<?>> testClasses) throws Exception {
        progress.phase("counting cost");
        CandidateLoader counting = worker.loader("cost", program, ClassTransform.COUNTED);
        self.setContextClassLoader(counting);
        if (!request.scoreMethod().isEmpty()) {
            ScoreMethod scoring;
            try {
                scoring = ScoreMethod.resolve(request.scoreMethod(), counting);
            } catch (ScoreMethod.Unusable e) {
                notes.add("cost not counted: " + e.getMessage());
                return;
            }
            CostCounter.reset();
            try {
                scoring.call();
            } catch (ScoreMethod.Threw e) {
                rethrowIfOutOfMemory(e.getCause());
                notes.add("cost not counted: the instrumented score method threw " + Failures.describe(e.getCause()));
                return;
            }
            cost = CostCounter.count();
        } else if (testClasses.isEmpty()) {
            cost = 0;
        } else {
            List<Class<?>> classes = new ArrayList<>();
            for (Class<?> c : testClasses) {
                classes.add(Class.forName(c.getName(), false, counting));
            }
            CostCounter.reset();
            TestRunner.Run run = worker.tests().run(classes, progress, false);
            cost = CostCounter.count();
            if (run.outOfMemory() != null) {
                throw run.outOfMemory();
            }
        }
    }

    private boolean failed(TestResult t) {
        return t.status() == TestResult.Status.FAILED || t.status() == TestResult.Status.TIMED_OUT;
    }

    private void crashBecause(String what, Throwable cause) {
        rethrowIfOutOfMemory(cause);
        crash(what + Failures.describe(cause));
    }

    private static void rethrowIfOutOfMemory(Throwable cause) {
        OutOfMemoryError oom = Failures.outOfMemory(cause);
        if (oom != null) {
            throw oom;
        }
    }

    private void crash(String why) {
        status = Status.CRASHED;
        detail = why;
    }
}
