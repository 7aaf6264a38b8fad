package dev.kaizen.cli;

import dev.kaizen.config.ConfigException;
import dev.kaizen.config.Templates;
import dev.kaizen.core.engine.RunSummary;
import dev.kaizen.core.engine.StopReason;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code kaizen} command line. The only place with {@code main} and {@code System.exit}. */
@Command(name = "kaizen", mixinStandardHelpOptions = true, version = "kaizen 0.1.0",
        description = "Kaizen improves code against your tests and scores: it proposes edits, evaluates them, keeps what measurably improves, and records every step.",
        subcommands = {
            Main.Demo.class, Main.Init.class, Main.Run.class, Main.Resume.class,
            Inspect.Status.class, Inspect.Best.class, Inspect.Diff.class, Inspect.Lineage.class,
            Inspect.Audit.class, Inspect.Report.class, Export.class, Bench.class, CommandLine.HelpCommand.class
        })
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /**
     * Runs the command line and returns its exit code: 0 done, 1 the run could not start or go on
     * (a failing seed, operators that keep failing), 2 bad input, 3 a protected file changed.
     */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CliException || ex instanceof ConfigException) {
                err.println("kaizen: " + ex.getMessage());
                return 2;
            }
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.UncheckedIOException) {
                err.println("kaizen: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        Context.OUT.set(out);
        try {
            return cli.execute(args);
        } finally {
            Context.OUT.remove();
        }
    }

    /** Where commands print; set per {@link #execute} call so tests can capture it. */
    static final class Context {
        static final ThreadLocal<PrintStream> OUT = ThreadLocal.withInitial(() -> System.out);

        private Context() {}

        static PrintStream out() {
            return OUT.get();
        }

        static boolean tty() {
            return System.console() != null && OUT.get() == System.out && System.getenv("CI") == null;
        }
    }

    /** Options shared by run, resume and demo. */
    static final class BudgetOptions {
        @Option(names = "--evaluations", description = "Total evaluation budget (overrides kaizen.yaml).")
        Long evaluations;

        @Option(names = "--time", description = "Total wall-time budget such as 90s, 5m or 1h (overrides kaizen.yaml).")
        String time;

        @Option(names = "--parallelism", description = "Evaluations in flight at once.")
        Integer parallelism;

        @Option(names = "--seed", description = "Random seed.")
        Long seed;

        @Option(names = "--target", description = "Stop when the primary metric reaches this value.")
        Double target;

        @Option(names = "--unsafe-no-sandbox", description = "Run candidates WITHOUT the bubblewrap sandbox (only rlimits). "
                + "Unreviewed code then sees your files and network. Printed at every start and written to the ledger.")
        boolean unsafeNoSandbox;

        Runner.Overrides overrides() {
            if (parallelism != null && parallelism < 1) {
                throw new CliException("--parallelism must be >= 1, got " + parallelism);
            }
            if (evaluations != null && evaluations < 1) {
                throw new CliException("--evaluations must be >= 1, got " + evaluations);
            }
            return new Runner.Overrides(evaluations, time == null ? null : duration(time), parallelism, seed, target, unsafeNoSandbox);
        }
    }

    /** A --time value, read exactly as kaizen.yaml reads budget.time (which also refuses zero). */
    static Duration duration(String text) {
        try {
            return dev.kaizen.config.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException("--time: " + e.getMessage());
        }
    }

    static int exitCode(RunSummary s) {
        return switch (s.reason()) {
            case SEED_FAILED, OPERATORS_FAILED -> 1;
            case PROTECTED_FILE_CHANGED -> 3;
            default -> 0;
        };
    }

    @Command(name = "run", description = "Start a new run on a target directory (it holds kaizen.yaml).")
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "TARGET", description = "The target directory.")
        Path target;

        @CommandLine.Mixin
        BudgetOptionsMixin budget;

        @Override
        public Integer call() {
            Runner.Overrides overrides = budget.options.overrides();
            if (!Files.isRegularFile(target.resolve("kaizen.yaml"))) {
                throw new CliException(target + " has no kaizen.yaml; create a target with: kaizen init " + target + " --template python");
            }
            return exitCode(Runner.start(target, overrides, Context.out(), Context.tty()));
        }
    }

    @Command(name = "resume", description = "Carry on a run after Ctrl-C, kill -9 or an exhausted budget (raise it with --evaluations/--time).")
    static final class Resume implements Callable<Integer> {
        @Parameters(paramLabel = "RUN", description = "A run directory, a target directory (its latest run) or a run id.")
        String run;

        @CommandLine.Mixin
        BudgetOptionsMixin budget;

        @Override
        public Integer call() {
            return exitCode(Runner.resume(RunDirectory.locate(run), budget.options.overrides(), Context.out(), Context.tty()));
        }
    }

    /** Picocli mixin wrapper for {@link BudgetOptions}. */
    static final class BudgetOptionsMixin {
        @CommandLine.ArgGroup(exclusive = false)
        BudgetOptions options = new BudgetOptions();
    }

    @Command(name = "init", description = "Create a starter target from a template.")
    static final class Init implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The directory to create (must be empty or absent).")
        Path dir;

        @Option(names = "--template", defaultValue = "python", description = "One of: ${COMPLETION-CANDIDATES}.", completionCandidates = TemplateNames.class)
        String template;

        @Override
        public Integer call() {
            if (!Templates.names().contains(template)) {
                throw new CliException("unknown template '" + template + "'; choose one of " + Templates.names());
            }
            Templates.write(template, dir);
            PrintStream out = Context.out();
            out.println("created a " + template + " target in " + dir);
            out.println("next: edit " + dir.resolve("kaizen.yaml") + ", then run: kaizen run " + dir);
            return 0;
        }
    }

    /** The template names for picocli's help. */
    static final class TemplateNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Templates.names().iterator();
        }
    }

    @Command(name = "demo", description = "Improve the shipped circle-packing example for a few minutes, offline.")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--example", defaultValue = "circle-packing", description = "Which shipped example to run.")
        String example;

        @CommandLine.Mixin
        BudgetOptionsMixin budget;

        @Override
        public Integer call() {
            Path examples = Path.of(System.getProperty("kaizen.home", ".")).resolve("examples");
            Path target = examples.resolve(example);
            if (!Files.isRegularFile(target.resolve("kaizen.yaml"))) {
                throw new CliException("no example '" + example + "' in " + examples.toAbsolutePath().normalize());
            }
            PrintStream out = Context.out();
            out.println("Kaizen demo: improving examples/" + example + " with the offline operators (no language model).");
            return exitCode(Runner.start(target, budget.options.overrides(), out, Context.tty()));
        }
    }
}
