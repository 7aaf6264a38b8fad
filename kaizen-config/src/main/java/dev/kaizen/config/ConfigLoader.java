package dev.kaizen.config;

import dev.kaizen.core.archive.Selectors;
import dev.kaizen.core.engine.Limits;
import dev.kaizen.core.engine.Strategy;
import dev.kaizen.core.guard.GuardPolicy;
import dev.kaizen.core.guard.MetricRange;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Lines;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Constraint;
import dev.kaizen.core.target.Direction;
import dev.kaizen.core.target.Feature;
import dev.kaizen.core.target.Objective;
import dev.kaizen.core.target.Target;
import dev.kaizen.eval.CommandStage;
import dev.kaizen.java.gi.JavaRegions;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.Provider;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads and checks a target's {@code kaizen.yaml} into a {@link KaizenConfig}. Every problem is a
 * {@link ConfigException} that names the file, the line and column, and the dotted key, e.g.
 * {@code kaizen.yaml:12:12: evaluator.timeout: expected a duration such as 30s, 5m, 1h or 250ms, got "abc"}.
 * The keys and their defaults are described in {@code docs/kaizen-yaml.md}.
 */
public final class ConfigLoader {

    /** The name of the configuration file in a target directory. */
    public static final String FILE_NAME = "kaizen.yaml";

    /** The name of the stage made from a single {@code evaluator.command}. */
    public static final String SINGLE_STAGE = "evaluate";

    /** The primary metric when {@code objective.metric} is not given. */
    public static final String DEFAULT_METRIC = "score";

    /** The per-stage timeout when {@code evaluator.timeout} is not given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** The evaluation budget when {@code budget.evaluations} is not given. */
    public static final long DEFAULT_EVALUATIONS = 1000;

    /** The time budget when {@code budget.time} is not given or is {@code unlimited}: ten years. */
    public static final Duration UNLIMITED = Duration.ofDays(3650);

    /** Bins per feature axis when {@code bins} is not given. */
    public static final int DEFAULT_BINS = 10;

    static final List<String> TOP_KEYS = List.of("name", "description", "files", "exclude", "evaluator", "objective", "features", "search", "budget", "seed", "guard",
            "metrics", "sandbox", "llm");
    static final List<String> FILE_KEYS = List.of("path", "methods");
    static final List<String> EVALUATOR_KEYS = List.of("type", "command", "stages", "timeout", "env", "output_limit");
    static final List<String> JAVA_KEYS = List.of("type", "classpath", "classes", "tests", "score", "workers", "heap", "jvm_args", "timeout",
            "test_timeout", "adaptive_timeouts", "timing", "cost", "failing_tests", "recycle_after", "release", "output_limit");
    static final List<String> EVALUATOR_TYPES = List.of("command", "java");
    static final List<String> SCORE_KEYS = List.of("method");
    static final List<String> TIMING_KEYS = List.of("warmup", "rounds", "confidence");
    static final List<String> STAGE_KEYS = List.of("name", "command", "timeout", "env", "min_score", "output_limit");
    static final List<String> OBJECTIVE_KEYS = List.of("metric", "direction", "then", "constraints");
    static final List<String> THEN_KEYS = List.of("metric", "direction");
    static final List<String> CONSTRAINT_KEYS = List.of("metric", "min", "max");
    static final List<String> FEATURE_KEYS = List.of("name", "min", "max", "bins");
    static final List<String> SEARCH_KEYS = List.of("islands", "migration_interval", "selection", "power_law_alpha", "tournament_size", "inspirations", "exploration", "parallelism", "operators");
    static final List<String> BUDGET_KEYS = List.of("evaluations", "time", "target");
    static final List<String> DIRECTIONS = List.of("maximize", "minimize");
    static final List<String> GUARD_KEYS = List.of("protect", "writable", "max_region_chars", "max_changed_lines", "forbid", "allow");
    static final List<String> RANGE_KEYS = List.of("min", "max");
    static final List<String> SANDBOX_KEYS = List.of("memory", "processes", "cpu_time", "disk", "tmp", "read_only");
    static final List<String> LLM_KEYS = List.of("models", "selection", "weights", "budget", "replay", "formats", "prompts", "offline_operators");
    static final List<String> MODEL_KEYS = List.of("provider", "model", "base_url", "api_key_env", "api_key_file", "context_tokens", "max_output_tokens",
            "timeout", "max_retries", "temperature");
    static final List<String> LLM_BUDGET_KEYS = List.of("usd", "tokens");

    private ConfigLoader() {}

    /**
     * Reads {@code targetDir/kaizen.yaml}. Errors name the file as {@code targetDir/kaizen.yaml}
     * (just {@code kaizen.yaml} when {@code targetDir} is the current directory).
     */
    public static KaizenConfig load(Path targetDir) {
        Path file = targetDir.resolve(FILE_NAME);
        String fileName = file.normalize().toString();
        if (!Files.isDirectory(targetDir)) {
            throw new ConfigException(fileName, 0, 0, "", "the target directory " + targetDir + " does not exist or is not a directory");
        }
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(fileName, 0, 0, "", "not found; create a target with `kaizen init " + targetDir + " --template python`", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(fileName, 0, 0, "", "is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(fileName, 0, 0, "", "cannot be read: " + e.getMessage(), e);
        }
        return parse(yaml, targetDir, fileName);
    }

    /**
     * Parses and checks YAML text as the configuration of {@code targetDir}; evolvable files are
     * read from there. {@code fileName} is how errors name the file.
     */
    public static KaizenConfig parse(String yaml, Path targetDir, String fileName) {
        return new Parse(yaml, targetDir.toAbsolutePath().normalize(), new Nodes(fileName)).run();
    }

    /** One parse: the text, the target directory and where errors point. */
    private record Parse(String yaml, Path root, Nodes nodes) {

        KaizenConfig run() {
            Node document = compose();
            if (document == null) {
                throw new ConfigException(nodes.file(), 1, 1, "", "the file is empty; it needs at least 'files' and 'evaluator'");
            }
            if (!(document instanceof MappingNode)) {
                throw nodes.error(document, "", "expected a map of settings at the top level (files:, evaluator:, ...), got " + Nodes.describe(document));
            }
            Fields top = nodes.fields(document, "", TOP_KEYS);
            String name = top.value("name").map(n -> nodes.text(n, "name")).orElseGet(this::directoryName);
            String description = top.value("description").map(n -> nodes.string(n, "description")).orElse("");
            Blueprint blueprint = blueprint(top);
            List<String> exclude = top.value("exclude").map(this::exclude).orElse(List.of());
            Node evaluatorNode = top.require("evaluator", "say how to evaluate a candidate, e.g. evaluator: { command: python3 evaluate.py }");
            Objective objective = top.value("objective").map(this::objective).orElse(Objective.maximize(DEFAULT_METRIC));
            boolean java = evaluatorType(evaluatorNode).equals("java");
            List<CommandStage> stages = java ? List.of() : evaluator(evaluatorNode);
            Optional<JavaSpec> javaSpec = java ? Optional.of(javaSpec(evaluatorNode, objective, blueprint)) : Optional.empty();
            List<Feature> features = top.value("features").map(n -> features(n, blueprint)).orElseGet(() -> List.of(defaultLength(blueprint)));
            Optional<Fields> search = top.value("search").map(n -> nodes.fields(n, "search", SEARCH_KEYS));
            Strategy strategy = search.map(this::strategy).orElse(Strategy.defaults());
            int parallelism = search.flatMap(s -> s.value("parallelism"))
                    .map(n -> (int) nodes.integer(n, "search.parallelism", 1, 1024))
                    .orElse(Runtime.getRuntime().availableProcessors());
            Limits limits = top.value("budget").map(this::limits).orElse(Limits.evaluations(DEFAULT_EVALUATIONS).withTime(UNLIMITED));
            long seed = top.value("seed").map(n -> nodes.integer(n, "seed", Long.MIN_VALUE, Long.MAX_VALUE)).orElse(0L);
            GuardSpec guard = top.value("guard").map(n -> guard(n, java)).orElse(GuardSpec.defaults());
            Map<String, MetricRange> ranges = top.value("metrics").map(this::metricRanges).orElse(Map.of());
            SandboxConfig sandbox = top.value("sandbox").map(this::sandbox).orElse(SandboxConfig.defaults());
            Optional<LlmConfig> llm = top.value("llm").map(this::llm);
            Target target = new Target(name, description, root, blueprint, objective, features);
            return new KaizenConfig(target, stages, javaSpec, strategy, limits, seed, parallelism, exclude, yaml, guard, ranges, sandbox, llm);
        }

        private Node compose() {
            LoaderOptions options = new LoaderOptions();
            options.setAllowRecursiveKeys(false);
            try {
                return new Yaml(options).compose(new StringReader(yaml));
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                String problem = e.getProblem() == null ? "syntax error" : e.getProblem();
                StringBuilder detail = new StringBuilder("invalid YAML: ");
                if (e.getContext() != null && problem.startsWith("but ")) {
                    detail.append(e.getContext()).append(", ").append(problem);
                } else {
                    detail.append(problem);
                    if (e.getContext() != null) {
                        detail.append(" (").append(e.getContext());
                        Mark context = e.getContextMark();
                        if (context != null && (mark == null || context.getIndex() != mark.getIndex())) {
                            detail.append(" at line ").append(context.getLine() + 1).append(", column ").append(context.getColumn() + 1);
                        }
                        detail.append(')');
                    }
                }
                throw nodes.error(mark, "", detail.toString(), e);
            } catch (ReaderException e) {
                int[] at = lineAndColumn(e.getPosition());
                throw new ConfigException(nodes.file(), at[0], at[1], "", "invalid YAML: " + e.getMessage().lines().findFirst().orElse("unreadable character"), e);
            } catch (YAMLException e) {
                throw new ConfigException(nodes.file(), 0, 0, "", "invalid YAML: " + e.getMessage(), e);
            }
        }

        /** 1-based line and column of a code-point index into the text. */
        private int[] lineAndColumn(int codePointIndex) {
            int line = 1;
            int column = 1;
            int seen = 0;
            for (int i = 0; i < yaml.length() && seen < codePointIndex; i = yaml.offsetByCodePoints(i, 1), seen++) {
                if (yaml.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new int[] {line, column};
        }

        private String directoryName() {
            Path fileName = root.getFileName();
            return fileName == null ? "target" : fileName.toString();
        }

        // ---- files and exclude

        private Blueprint blueprint(Fields top) {
            Node filesNode = top.require("files", "list the evolvable files, e.g. files: [main.py]");
            List<Node> items = nodes.list(filesNode, "files", "write files: [" + shown(filesNode) + "]");
            if (items.isEmpty()) {
                throw nodes.error(filesNode, "files", "must list at least one evolvable file");
            }
            Map<String, Node> seen = new HashMap<>();
            List<Blueprint.SourceFile> sources = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String key = Nodes.item("files", i);
                List<String> methods = List.of();
                Node pathNode = item;
                Node methodsAt = item;
                if (item instanceof MappingNode) {
                    Fields f = nodes.fields(item, key, FILE_KEYS);
                    pathNode = f.require("path", "give the file, e.g. { path: src/main/java/com/acme/Sorter.java, methods: [sort] }");
                    key = f.path("path");
                    Node methodsNode = f.require("methods", "list the methods that may change, e.g. methods: [sort]");
                    methods = texts(methodsNode, f.path("methods"));
                    methodsAt = methodsNode;
                    if (methods.isEmpty()) {
                        throw nodes.error(methodsNode, f.path("methods"), "must list at least one method");
                    }
                }
                String rel = relative(pathNode, key);
                Node first = seen.putIfAbsent(rel, item);
                if (first != null) {
                    throw nodes.error(item, key, "lists " + rel + " a second time (first at line " + (first.getStartMark().getLine() + 1) + ")");
                }
                String text = readEvolvable(pathNode, key, rel);
                try {
                    if (methods.isEmpty()) {
                        sources.add(Blueprint.parse(rel, text));
                    } else if (!rel.endsWith(".java")) {
                        throw nodes.error(pathNode, key, "methods can be named in Java sources only; mark the regions of " + rel
                                + " with EVOLVE-BLOCK-START / EVOLVE-BLOCK-END instead");
                    } else if (text.contains(Blueprint.START)) {
                        throw nodes.error(pathNode, key, rel + " has EVOLVE-BLOCK markers; use either the markers or methods, not both");
                    } else {
                        sources.add(JavaRegions.methods(rel, text, methods));
                    }
                } catch (Blueprint.BlueprintException e) {
                    throw nodes.error(item, key, e.getMessage(), e);
                } catch (IllegalArgumentException e) {
                    throw nodes.error(methodsAt, Nodes.child(Nodes.item("files", i), "methods"), e.getMessage(), e);
                }
            }
            return new Blueprint(sources);
        }

        private static String shown(Node node) {
            return node instanceof ScalarNode s ? s.getValue() : "...";
        }

        private String readEvolvable(Node item, String key, String rel) {
            Path file = root.resolve(rel);
            if (Files.isDirectory(file)) {
                throw nodes.error(item, key, rel + " is a directory; list the files in it that may evolve");
            }
            if (!Files.isRegularFile(file)) {
                throw nodes.error(item, key, rel + " does not exist in " + root);
            }
            try {
                if (!file.toRealPath().startsWith(root.toRealPath())) {
                    throw nodes.error(item, key, rel + " resolves to " + file.toRealPath() + ", outside the target directory");
                }
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (CharacterCodingException e) {
                throw nodes.error(item, key, rel + " is not UTF-8 text", e);
            } catch (IOException e) {
                throw nodes.error(item, key, rel + " cannot be read: " + e.getMessage(), e);
            }
        }

        /** A path relative to the target directory that stays inside it, normalized with '/' separators. */
        private String relative(Node item, String key) {
            String raw = nodes.text(item, key).strip();
            Path path;
            try {
                path = Path.of(raw);
            } catch (InvalidPathException e) {
                throw nodes.error(item, key, "is not a valid path: " + e.getMessage(), e);
            }
            if (path.isAbsolute() || raw.startsWith("/") || raw.startsWith("\\")) {
                throw nodes.error(item, key, "must be relative to the target directory, got " + Nodes.quote(raw));
            }
            Path normal = path.normalize();
            if (normal.toString().isEmpty()) {
                throw nodes.error(item, key, "names the target directory itself; name a path inside it");
            }
            if (normal.startsWith("..")) {
                throw nodes.error(item, key, "must stay inside the target directory, got " + Nodes.quote(raw));
            }
            List<String> names = new ArrayList<>();
            normal.forEach(p -> names.add(p.toString()));
            return String.join("/", names);
        }

        private List<String> exclude(Node node) {
            List<Node> items = nodes.list(node, "exclude", "write exclude: [" + shown(node) + "]");
            List<String> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String rel = relative(items.get(i), Nodes.item("exclude", i));
                if (!out.contains(rel)) {
                    out.add(rel);
                }
            }
            return out;
        }

        // ---- evaluator

        private String evaluatorType(Node node) {
            if (node instanceof MappingNode map) {
                for (NodeTuple t : map.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("type")) {
                        return nodes.choice(t.getValueNode(), "evaluator.type", EVALUATOR_TYPES);
                    }
                }
            }
            return "command";
        }

        private JavaSpec javaSpec(Node node, Objective objective, Blueprint blueprint) {
            Fields ev = nodes.fields(node, "evaluator", JAVA_KEYS);
            for (Blueprint.SourceFile f : blueprint.files()) {
                if (!f.path().endsWith(".java")) {
                    throw nodes.error(node, "evaluator.type", "a java evaluator evolves Java sources, but files lists " + f.path()
                            + "; use a command evaluator for other languages");
                }
            }
            Optional<List<String>> classpath = ev.value("classpath").flatMap(n -> {
                if (n instanceof ScalarNode s && !Nodes.isNull(s)) {
                    nodes.choice(n, "evaluator.classpath", List.of("maven"));
                    return Optional.empty();
                }
                List<String> entries = new ArrayList<>();
                List<Node> items = nodes.list(n, "evaluator.classpath", "write classpath: maven, or a list of jars and directories");
                for (int i = 0; i < items.size(); i++) {
                    entries.add(nodes.text(items.get(i), Nodes.item("evaluator.classpath", i)).strip());
                }
                return Optional.of(entries);
            });
            List<String> classDirs = ev.value("classes").map(n -> texts(n, "evaluator.classes")).orElse(JavaSpec.DEFAULT_CLASS_DIRS);
            Node testsNode = ev.require("tests", "list the test classes to run, e.g. tests: [com.acme.SorterTest]");
            List<String> tests = texts(testsNode, "evaluator.tests");
            for (int i = 0; i < tests.size(); i++) {
                if (!tests.get(i).matches("[\\p{L}_$][\\p{L}\\p{N}_$.]*")) {
                    throw nodes.error(nodes.list(testsNode, "evaluator.tests", "").get(i), Nodes.item("evaluator.tests", i),
                            "expected a class name such as com.acme.SorterTest, got " + Nodes.quote(tests.get(i)));
                }
            }
            String score = ev.value("score").map(n -> {
                if (n instanceof ScalarNode) {
                    return nodes.text(n, "evaluator.score").strip();
                }
                Fields f = nodes.fields(n, "evaluator.score", SCORE_KEYS);
                return nodes.text(f.require("method", "name the scoring method, e.g. method: com.acme.Bench#score"), f.path("method")).strip();
            }).orElse("");
            Optional<Integer> workers = ev.value("workers").map(n -> (int) nodes.integer(n, "evaluator.workers", 1, 256));
            int heap = ev.value("heap").map(n -> heapMiB(n, "evaluator.heap")).orElse(JavaSpec.DEFAULT_HEAP_MIB);
            List<String> jvmArgs = ev.value("jvm_args").map(n -> texts(n, "evaluator.jvm_args")).orElse(List.of());
            Duration timeout = ev.value("timeout").map(n -> nodes.duration(n, "evaluator.timeout")).orElse(JavaSpec.DEFAULT_TIMEOUT);
            Duration testTimeout = ev.value("test_timeout").map(n -> nodes.duration(n, "evaluator.test_timeout")).orElse(JavaSpec.DEFAULT_TEST_TIMEOUT);
            boolean adaptive = ev.value("adaptive_timeouts").map(n -> bool(n, "evaluator.adaptive_timeouts")).orElse(true);
            Optional<JavaSpec.Timing> timing = timing(ev.value("timing"), objective, !score.isEmpty());
            if (timing.isEmpty() && mentions(objective, JavaSpec.TIMING_METRICS)) {
                throw nodes.error(node, "evaluator.timing", "the objective uses " + String.join("/", JavaSpec.TIMING_METRICS.stream()
                        .filter(m -> mentions(objective, List.of(m))).toList()) + ", which needs a scoring method to time: add score: { method: Class#method }");
            }
            boolean cost = ev.value("cost").map(n -> bool(n, "evaluator.cost")).orElse(mentions(objective, List.of("cost")));
            JavaSpec.FailingTests failing = ev.value("failing_tests")
                    .map(n -> nodes.choice(n, "evaluator.failing_tests", List.of("score", "reject")).equals("score") ? JavaSpec.FailingTests.SCORE : JavaSpec.FailingTests.REJECT)
                    .orElse(JavaSpec.TEST_METRICS.contains(objective.primary()) ? JavaSpec.FailingTests.SCORE : JavaSpec.FailingTests.REJECT);
            int recycle = ev.value("recycle_after").map(n -> (int) nodes.integer(n, "evaluator.recycle_after", 1, Integer.MAX_VALUE)).orElse(JavaSpec.DEFAULT_RECYCLE_AFTER);
            String release = ev.value("release").map(n -> String.valueOf(nodes.integer(n, "evaluator.release", 8, 99))).orElse(JavaSpec.DEFAULT_RELEASE);
            try {
                return new JavaSpec(classpath, classDirs, tests, score, workers, heap, jvmArgs, timeout, testTimeout, adaptive, timing, cost, failing, recycle, release);
            } catch (IllegalArgumentException e) {
                throw nodes.error(node, "evaluator", e.getMessage(), e);
            }
        }

        private Optional<JavaSpec.Timing> timing(Optional<Node> node, Objective objective, boolean hasScore) {
            if (node.isEmpty()) {
                return hasScore && mentions(objective, JavaSpec.TIMING_METRICS) ? Optional.of(JavaSpec.Timing.DEFAULT) : Optional.empty();
            }
            Node n = node.get();
            if (n instanceof ScalarNode) {
                return bool(n, "evaluator.timing") ? Optional.of(JavaSpec.Timing.DEFAULT) : Optional.empty();
            }
            Fields t = nodes.fields(n, "evaluator.timing", TIMING_KEYS);
            int warmup = t.value("warmup").map(v -> (int) nodes.integer(v, t.path("warmup"), 0, 100_000)).orElse(JavaSpec.Timing.DEFAULT.warmup());
            int rounds = t.value("rounds").map(v -> (int) nodes.integer(v, t.path("rounds"), 3, 100_000)).orElse(JavaSpec.Timing.DEFAULT.rounds());
            double confidence = t.value("confidence").map(v -> {
                double c = nodes.number(v, t.path("confidence"));
                if (!(c > 0.5 && c < 1)) {
                    throw nodes.error(v, t.path("confidence"), "must be between 0.5 and 1 (exclusive), such as 0.99, got " + Nodes.plain(c));
                }
                return c;
            }).orElse(JavaSpec.Timing.DEFAULT.confidence());
            return Optional.of(new JavaSpec.Timing(warmup, rounds, confidence));
        }

        private static boolean mentions(Objective objective, List<String> metrics) {
            return metrics.contains(objective.primary())
                    || objective.then().map(t -> metrics.contains(t.metric())).orElse(false)
                    || objective.constraints().stream().anyMatch(c -> metrics.contains(c.metric()));
        }

        private List<String> texts(Node node, String key) {
            List<Node> items = nodes.list(node, key, "write " + key.substring(key.lastIndexOf('.') + 1) + ": [...]");
            List<String> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                out.add(nodes.text(items.get(i), Nodes.item(key, i)).strip());
            }
            return out;
        }

        private boolean bool(Node node, String key) {
            if (node instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
                return s.getValue().equalsIgnoreCase("true") || s.getValue().equalsIgnoreCase("yes") || s.getValue().equalsIgnoreCase("on");
            }
            throw nodes.error(node, key, "expected true or false, got " + Nodes.describe(node));
        }

        /** A heap size: a whole number of MiB, or text such as 512m or 2g. */
        private int heapMiB(Node node, String key) {
            String raw = nodes.text(node, key).strip().toLowerCase(java.util.Locale.ROOT);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(m|mb|mib|g|gb|gib)?").matcher(raw);
            if (!m.matches()) {
                throw nodes.error(node, key, "expected a size such as 512m or 2g, got " + Nodes.quote(raw));
            }
            long value = Long.parseLong(m.group(1)) * (m.group(2) != null && m.group(2).startsWith("g") ? 1024 : 1);
            if (value < 32 || value > 1 << 20) {
                throw nodes.error(node, key, "must be between 32m and 1024g, got " + raw);
            }
            return (int) value;
        }

        private List<CommandStage> evaluator(Node node) {
            Fields ev = nodes.fields(node, "evaluator", EVALUATOR_KEYS);
            Duration timeout = ev.value("timeout").map(n -> nodes.duration(n, "evaluator.timeout")).orElse(DEFAULT_TIMEOUT);
            Map<String, String> env = ev.value("env").map(n -> env(n, "evaluator.env")).orElse(Map.of());
            int outputLimit = ev.value("output_limit").map(n -> outputLimit(n, "evaluator.output_limit")).orElse(CommandStage.DEFAULT_OUTPUT_LIMIT);
            Optional<Node> command = ev.value("command");
            Optional<Node> stages = ev.value("stages");
            if (command.isPresent() && stages.isPresent()) {
                Node commandKey = ev.keyNode("command").orElseThrow();
                Node stagesKey = ev.keyNode("stages").orElseThrow();
                boolean stagesLater = stagesKey.getStartMark().getIndex() > commandKey.getStartMark().getIndex();
                Node later = stagesLater ? stagesKey : commandKey;
                throw nodes.error(later, ev.path(stagesLater ? "stages" : "command"),
                        "give either 'command' (one stage) or 'stages' (a cascade), not both");
            }
            if (command.isPresent()) {
                String text = nodes.text(command.get(), "evaluator.command");
                return List.of(stage(command.get(), "evaluator", SINGLE_STAGE, text, timeout, env, OptionalDouble.empty(), outputLimit));
            }
            if (stages.isEmpty()) {
                throw nodes.error(node, "evaluator", "needs 'command' (one stage) or 'stages' (a cascade of stages, cheapest first)");
            }
            List<Node> items = nodes.list(stages.get(), "evaluator.stages", "each stage is a map such as { name: quick, command: ... }");
            if (items.isEmpty()) {
                throw nodes.error(stages.get(), "evaluator.stages", "must list at least one stage");
            }
            List<CommandStage> out = new ArrayList<>();
            Map<String, Node> names = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                String path = Nodes.item("evaluator.stages", i);
                Fields st = nodes.fields(items.get(i), path, STAGE_KEYS);
                Node nameNode = st.require("name", "give each stage a name, e.g. name: quick");
                String name = nodes.text(nameNode, st.path("name")).strip();
                Node first = names.putIfAbsent(name, nameNode);
                if (first != null) {
                    throw nodes.error(nameNode, st.path("name"), "duplicate stage name '" + name + "' (first at line " + (first.getStartMark().getLine() + 1) + ")");
                }
                String text = nodes.text(st.require("command", "give the command that evaluates a candidate"), st.path("command"));
                Duration stageTimeout = st.value("timeout").map(n -> nodes.duration(n, st.path("timeout"))).orElse(timeout);
                Map<String, String> stageEnv = new LinkedHashMap<>(env);
                st.value("env").ifPresent(n -> stageEnv.putAll(env(n, st.path("env"))));
                OptionalDouble minScore = st.value("min_score").map(n -> OptionalDouble.of(nodes.number(n, st.path("min_score")))).orElse(OptionalDouble.empty());
                int stageLimit = st.value("output_limit").map(n -> outputLimit(n, st.path("output_limit"))).orElse(outputLimit);
                out.add(stage(items.get(i), path, name, text, stageTimeout, stageEnv, minScore, stageLimit));
            }
            return out;
        }

        private CommandStage stage(Node node, String key, String name, String command, Duration timeout, Map<String, String> env,
                OptionalDouble minScore, int outputLimit) {
            try {
                return new CommandStage(name, command, timeout, env, minScore, outputLimit);
            } catch (IllegalArgumentException e) {
                throw nodes.error(node, key, e.getMessage(), e);
            }
        }

        private int outputLimit(Node node, String key) {
            return (int) nodes.integer(node, key, 1024, Integer.MAX_VALUE);
        }

        private Map<String, String> env(Node node, String key) {
            Map<String, String> env = nodes.stringMap(node, key);
            if (node instanceof MappingNode map) {
                for (NodeTuple t : map.getValue()) {
                    String name = nodes.string(t.getKeyNode(), key);
                    if (name.isEmpty() || name.contains("=") || name.indexOf('\0') >= 0) {
                        throw nodes.error(t.getKeyNode(), Nodes.child(key, name), "is not a valid environment variable name");
                    }
                    if (env.get(name).indexOf('\0') >= 0) {
                        throw nodes.error(t.getValueNode(), Nodes.child(key, name), "an environment value may not contain NUL");
                    }
                }
            }
            return env;
        }

        // ---- objective and features

        private Direction direction(Node node, String key) {
            return nodes.choice(node, key, DIRECTIONS).equals("maximize") ? Direction.MAXIMIZE : Direction.MINIMIZE;
        }

        private Objective objective(Node node) {
            Fields obj = nodes.fields(node, "objective", OBJECTIVE_KEYS);
            String metric = obj.value("metric").map(n -> nodes.text(n, "objective.metric").strip()).orElse(DEFAULT_METRIC);
            Direction direction = obj.value("direction").map(n -> direction(n, "objective.direction")).orElse(Direction.MAXIMIZE);
            List<Constraint> constraints = new ArrayList<>();
            Optional<Node> list = obj.value("constraints");
            if (list.isPresent()) {
                List<Node> items = nodes.list(list.get(), "objective.constraints", "each constraint is a map such as { metric: runtime_s, max: 2.0 }");
                for (int i = 0; i < items.size(); i++) {
                    constraints.add(constraint(items.get(i), Nodes.item("objective.constraints", i)));
                }
            }
            Objective objective = new Objective(metric, direction, constraints);
            Optional<Node> then = obj.value("then");
            if (then.isPresent()) {
                Fields t = nodes.fields(then.get(), "objective.then", THEN_KEYS);
                String second = nodes.text(t.require("metric", "name the metric that breaks ties, e.g. metric: runtime_ns"), t.path("metric")).strip();
                Direction d = t.value("direction").map(n -> direction(n, t.path("direction"))).orElse(Direction.MAXIMIZE);
                if (second.equals(metric)) {
                    throw nodes.error(then.get(), "objective.then", "breaks ties on " + metric + " with itself; name another metric");
                }
                objective = objective.thenBy(second, d);
            }
            return objective;
        }

        private Constraint constraint(Node node, String path) {
            Fields c = nodes.fields(node, path, CONSTRAINT_KEYS);
            String metric = nodes.text(c.require("metric", "name the metric the constraint bounds"), c.path("metric")).strip();
            Optional<Node> minNode = c.value("min");
            Optional<Node> maxNode = c.value("max");
            if (minNode.isEmpty() && maxNode.isEmpty()) {
                throw nodes.error(node, path, "a constraint on '" + metric + "' needs min, max or both");
            }
            double min = minNode.map(n -> nodes.number(n, c.path("min"))).orElse(Double.NEGATIVE_INFINITY);
            double max = maxNode.map(n -> nodes.number(n, c.path("max"))).orElse(Double.POSITIVE_INFINITY);
            try {
                return new Constraint(metric, min, max);
            } catch (IllegalArgumentException e) {
                Node at = maxNode.orElse(node);
                throw nodes.error(at, maxNode.isPresent() ? c.path("max") : path, e.getMessage(), e);
            }
        }

        private List<Feature> features(Node node, Blueprint blueprint) {
            List<Node> items = nodes.list(node, "features", "each feature is a map such as { name: length, min: 0, max: 4000, bins: 10 }");
            List<Feature> out = new ArrayList<>();
            Map<String, Node> names = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                String path = Nodes.item("features", i);
                Fields f = nodes.fields(items.get(i), path, FEATURE_KEYS);
                Node nameNode = f.require("name", "name the axis: length, lines or a metric name");
                String name = nodes.text(nameNode, f.path("name")).strip();
                Node first = names.putIfAbsent(name, nameNode);
                if (first != null) {
                    throw nodes.error(nameNode, f.path("name"), "duplicate feature '" + name + "' (first at line " + (first.getStartMark().getLine() + 1) + ")");
                }
                Optional<Node> minNode = f.value("min");
                Optional<Node> maxNode = f.value("max");
                double min = minNode.map(n -> nodes.number(n, f.path("min"))).orElse(0.0);
                double max;
                if (maxNode.isPresent()) {
                    max = nodes.number(maxNode.get(), f.path("max"));
                } else if (name.equals(Feature.LENGTH)) {
                    max = defaultLength(blueprint).max();
                } else if (name.equals(Feature.LINES)) {
                    max = defaultLinesMax(blueprint);
                } else {
                    throw nodes.error(items.get(i), f.path("max"), "missing required key 'max' in " + path + "; a metric axis needs its upper end, e.g. max: 1.0");
                }
                int bins = f.value("bins").map(n -> (int) nodes.integer(n, f.path("bins"), 1, 1000)).orElse(DEFAULT_BINS);
                try {
                    out.add(new Feature(name, min, max, bins));
                } catch (IllegalArgumentException e) {
                    Node at = maxNode.or(() -> minNode).orElse(items.get(i));
                    String key = maxNode.isPresent() ? f.path("max") : minNode.isPresent() ? f.path("min") : path;
                    throw nodes.error(at, key, e.getMessage(), e);
                }
            }
            return out;
        }

        /**
         * One axis, code length from half to one and a half times the seed's, in 10 bins: each bin
         * is a tenth of the seed's length, so edits that grow or shrink the code by that much find
         * cells of their own while literal tuning competes within one.
         */
        static Feature defaultLength(Blueprint blueprint) {
            long length = blueprint.seed().length();
            long min = length / 2;
            return new Feature(Feature.LENGTH, min, Math.max(min + 20, (length * 3 + 1) / 2), DEFAULT_BINS);
        }

        private static double defaultLinesMax(Blueprint blueprint) {
            Code seed = blueprint.seed();
            long lines = seed.regions().values().stream().mapToLong(t -> Lines.split(t).size()).sum();
            return Math.max(10, 3 * lines);
        }

        // ---- search and budget

        private Strategy strategy(Fields s) {
            Strategy d = Strategy.defaults();
            String selection = s.value("selection").map(n -> nodes.choice(n, "search.selection", Selectors.NAMES)).orElse(d.selection());
            double alpha = s.value("power_law_alpha").map(n -> nodes.number(n, "search.power_law_alpha", 0)).orElse(d.powerLawAlpha());
            int tournament = s.value("tournament_size").map(n -> (int) nodes.integer(n, "search.tournament_size", 1, 1000)).orElse(d.tournamentSize());
            int islands = s.value("islands").map(n -> (int) nodes.integer(n, "search.islands", 1, 256)).orElse(d.islands());
            int migration = s.value("migration_interval").map(n -> (int) nodes.integer(n, "search.migration_interval", 1, Integer.MAX_VALUE)).orElse(d.migrationInterval());
            int inspirations = s.value("inspirations").map(n -> (int) nodes.integer(n, "search.inspirations", 0, 100)).orElse(d.inspirations());
            double exploration = s.value("exploration").map(n -> nodes.number(n, "search.exploration", 0)).orElse(d.exploration());
            Map<String, Double> weights = s.value("operators").map(this::operatorWeights).orElse(d.operatorWeights());
            try {
                return new Strategy(selection, alpha, tournament, islands, migration, inspirations, weights, exploration);
            } catch (IllegalArgumentException e) {
                throw nodes.error(s.node(), "search", e.getMessage(), e);
            }
        }

        private Map<String, Double> operatorWeights(Node node) {
            String key = "search.operators";
            if (!(node instanceof MappingNode map)) {
                throw nodes.error(node, key, "expected a map of operator: weight, e.g. { line.swap: 1.0 }, got " + Nodes.describe(node));
            }
            Map<String, Double> weights = new TreeMap<>();
            for (NodeTuple t : map.getValue()) {
                String name = nodes.text(t.getKeyNode(), key).strip();
                String path = Nodes.child(key, name);
                if (weights.containsKey(name)) {
                    throw nodes.error(t.getKeyNode(), path, "duplicate key '" + name + "'");
                }
                weights.put(name, nodes.number(t.getValueNode(), path, 0));
            }
            return weights;
        }

        private Limits limits(Node node) {
            Fields b = nodes.fields(node, "budget", BUDGET_KEYS);
            long evaluations = b.value("evaluations").map(n -> nodes.integer(n, "budget.evaluations", 1, Long.MAX_VALUE)).orElse(DEFAULT_EVALUATIONS);
            Duration time = b.value("time").map(this::budgetTime).orElse(UNLIMITED);
            OptionalDouble target = b.value("target").map(n -> OptionalDouble.of(nodes.number(n, "budget.target"))).orElse(OptionalDouble.empty());
            try {
                return new Limits(evaluations, time, target);
            } catch (IllegalArgumentException e) {
                throw nodes.error(node, "budget", e.getMessage(), e);
            }
        }

        // ---- guard, metrics and sandbox

        private GuardSpec guard(Node node, boolean javaTarget) {
            Fields g = nodes.fields(node, "guard", GUARD_KEYS);
            List<String> protect = new ArrayList<>(List.of(FILE_NAME));
            g.value("protect").ifPresent(n -> globs(n, g.path("protect")).stream().filter(p -> !protect.contains(p)).forEach(protect::add));
            List<String> writable = g.value("writable").map(n -> globs(n, g.path("writable"))).orElse(List.of());
            java.util.OptionalInt maxRegion = g.value("max_region_chars")
                    .map(n -> java.util.OptionalInt.of((int) nodes.integer(n, g.path("max_region_chars"), 1, 1_000_000_000)))
                    .orElse(java.util.OptionalInt.empty());
            int maxLines = g.value("max_changed_lines").map(n -> (int) nodes.integer(n, g.path("max_changed_lines"), 1, 1_000_000_000))
                    .orElse(GuardPolicy.DEFAULT_MAX_CHANGED_LINES);
            List<String> forbid = List.of();
            List<String> allow = List.of();
            for (String key : List.of("forbid", "allow")) {
                Optional<Node> value = g.value(key);
                if (value.isPresent() && !javaTarget) {
                    throw nodes.error(g.keyNode(key).orElse(value.get()), g.path(key),
                            "applies to java targets (evaluator: { type: java }) only; this target's evaluator is a command");
                }
            }
            Optional<Node> forbidNode = g.value("forbid");
            if (forbidNode.isPresent()) {
                forbid = texts(forbidNode.get(), g.path("forbid"));
                List<Node> items = nodes.list(forbidNode.get(), g.path("forbid"), "");
                for (int i = 0; i < forbid.size(); i++) {
                    if (!forbid.get(i).matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*(\\.\\*)?")) {
                        throw nodes.error(items.get(i), Nodes.item(g.path("forbid"), i),
                                "expected a class, a method or a package such as com.acme.Db, com.acme.Db.connect or java.sql.*, got " + Nodes.quote(forbid.get(i)));
                    }
                }
            }
            Optional<Node> allowNode = g.value("allow");
            if (allowNode.isPresent()) {
                List<String> out = new ArrayList<>();
                List<Node> items = nodes.list(allowNode.get(), g.path("allow"), "write allow: [files, network]");
                for (int i = 0; i < items.size(); i++) {
                    String category = nodes.choice(items.get(i), Nodes.item(g.path("allow"), i), GuardSpec.CATEGORIES);
                    if (!out.contains(category)) {
                        out.add(category);
                    }
                }
                allow = out;
            }
            try {
                return new GuardSpec(protect, writable, maxRegion, maxLines, forbid, allow);
            } catch (IllegalArgumentException e) {
                throw nodes.error(node, "guard", e.getMessage(), e);
            }
        }

        /** Globs relative to the target directory that stay inside it and compile. */
        private List<String> globs(Node node, String key) {
            List<Node> items = nodes.list(node, key, "write " + key.substring(key.lastIndexOf('.') + 1) + ": [tests/**, evaluate.py]");
            List<String> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String at = Nodes.item(key, i);
                String glob = nodes.text(items.get(i), at).strip().replace('\\', '/');
                if (glob.startsWith("/") || glob.matches("[A-Za-z]:.*")) {
                    throw nodes.error(items.get(i), at, "must be relative to the target directory, got " + Nodes.quote(glob));
                }
                if (List.of(glob.split("/")).contains("..")) {
                    throw nodes.error(items.get(i), at, "must stay inside the target directory, got " + Nodes.quote(glob));
                }
                try {
                    java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
                } catch (IllegalArgumentException e) {
                    throw nodes.error(items.get(i), at, "is not a valid glob: " + e.getMessage().lines().findFirst().orElse("syntax error"), e);
                }
                if (!out.contains(glob)) {
                    out.add(glob);
                }
            }
            return out;
        }

        private Map<String, MetricRange> metricRanges(Node node) {
            String key = "metrics";
            if (!(node instanceof MappingNode map)) {
                throw nodes.error(node, key, "expected a map of metric: { min, max }, e.g. { score: { min: 0, max: 1 } }, got " + Nodes.describe(node));
            }
            Map<String, MetricRange> ranges = new TreeMap<>();
            for (NodeTuple t : map.getValue()) {
                String name = nodes.text(t.getKeyNode(), key).strip();
                String path = Nodes.child(key, name);
                if (ranges.containsKey(name)) {
                    throw nodes.error(t.getKeyNode(), path, "duplicate key '" + name + "'");
                }
                Fields r = nodes.fields(t.getValueNode(), path, RANGE_KEYS);
                Optional<Node> minNode = r.value("min");
                Optional<Node> maxNode = r.value("max");
                if (minNode.isEmpty() && maxNode.isEmpty()) {
                    throw nodes.error(t.getValueNode(), path, "a range for '" + name + "' needs min, max or both");
                }
                double min = minNode.map(n -> nodes.number(n, r.path("min"))).orElse(Double.NEGATIVE_INFINITY);
                double max = maxNode.map(n -> nodes.number(n, r.path("max"))).orElse(Double.POSITIVE_INFINITY);
                if (min > max) {
                    throw nodes.error(maxNode.orElseThrow(), r.path("max"), "must be at least min (" + Nodes.plain(min) + "), got " + Nodes.plain(max));
                }
                ranges.put(name, new MetricRange(min, max));
            }
            return ranges;
        }

        private SandboxConfig sandbox(Node node) {
            Fields s = nodes.fields(node, "sandbox", SANDBOX_KEYS);
            long memory = s.value("memory").map(n -> bytes(n, s.path("memory"))).orElse(SandboxConfig.DEFAULT_MEMORY);
            int processes = s.value("processes").map(n -> (int) nodes.integer(n, s.path("processes"), 1, 1_000_000)).orElse(SandboxConfig.DEFAULT_PROCESSES);
            Duration cpu = s.value("cpu_time").map(n -> nodes.duration(n, s.path("cpu_time"))).orElse(SandboxConfig.DEFAULT_CPU_TIME);
            long disk = s.value("disk").map(n -> bytes(n, s.path("disk"))).orElse(SandboxConfig.DEFAULT_DISK);
            long tmp = s.value("tmp").map(n -> bytes(n, s.path("tmp"))).orElse(SandboxConfig.DEFAULT_TMP);
            List<Path> readOnly = s.value("read_only").map(n -> readOnlyPaths(n, s.path("read_only"))).orElse(List.of());
            try {
                return new SandboxConfig(memory, processes, cpu, disk, tmp, readOnly);
            } catch (IllegalArgumentException e) {
                throw nodes.error(node, "sandbox", e.getMessage(), e);
            }
        }

        /**
         * Directories or files the sandbox binds read-only: absolute, {@code ~/...} for the home
         * directory, or relative to the target; each must exist.
         */
        private List<Path> readOnlyPaths(Node node, String key) {
            List<Node> items = nodes.list(node, key, "write read_only: [/opt/python3.12, ~/.pyenv/versions/3.12.1]");
            List<Path> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                out.add(existing(items.get(i), Nodes.item(key, i)));
            }
            return out;
        }

        private LlmConfig llm(Node node) {
            Fields l = nodes.fields(node, "llm", LLM_KEYS);
            Node modelsNode = l.value("models").orElseThrow(() -> nodes.error(node, "llm.models",
                    "is required: a list such as [{ provider: openai, model: gpt-5-mini, api_key_env: OPENAI_API_KEY }]"));
            List<Node> items = nodes.list(modelsNode, "llm.models", "write models: [{ provider: ..., model: ... }]");
            if (items.isEmpty()) {
                throw nodes.error(modelsNode, "llm.models", "needs at least one model");
            }
            List<ModelSpec> models = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                models.add(model(items.get(i), Nodes.item("llm.models", i)));
            }
            String selection = l.value("selection").map(n -> nodes.choice(n, "llm.selection", LlmConfig.SELECTIONS)).orElse("bandit");
            Map<String, Double> weights = l.value("weights").map(n -> weights(n, "llm.weights", models.stream().map(ModelSpec::label).toList()))
                    .orElse(Map.of());
            OptionalDouble usd = OptionalDouble.empty();
            OptionalLong tokens = OptionalLong.empty();
            if (l.value("budget").isPresent()) {
                Fields b = nodes.fields(l.value("budget").get(), "llm.budget", LLM_BUDGET_KEYS);
                usd = b.value("usd").map(n -> OptionalDouble.of(nodes.number(n, "llm.budget.usd", 0))).orElse(OptionalDouble.empty());
                tokens = b.value("tokens").map(n -> OptionalLong.of(nodes.integer(n, "llm.budget.tokens", 1, Long.MAX_VALUE))).orElse(OptionalLong.empty());
            }
            Optional<Path> replay = l.value("replay").map(n -> existing(n, "llm.replay"));
            Map<String, Double> formats = l.value("formats").map(n -> weights(n, "llm.formats", LlmConfig.FORMATS)).orElse(LlmConfig.defaultFormats());
            Optional<Path> prompts = l.value("prompts").map(n -> existing(n, "llm.prompts"));
            boolean offline = l.value("offline_operators").map(n -> bool(n, "llm.offline_operators")).orElse(true);
            try {
                return new LlmConfig(models, selection, weights, usd, tokens, replay, formats, prompts, offline);
            } catch (IllegalArgumentException e) {
                throw nodes.error(node, "llm", e.getMessage(), e);
            }
        }

        private ModelSpec model(Node node, String key) {
            Fields m = nodes.fields(node, key, MODEL_KEYS);
            Node providerNode = m.value("provider").orElseThrow(() -> nodes.error(node, key + ".provider", "is required: openai, anthropic, gemini or ollama"));
            Provider provider = Provider.of(nodes.choice(providerNode, m.path("provider"), List.of("openai", "anthropic", "gemini", "ollama")));
            String name = m.value("model").map(n -> nodes.text(n, m.path("model"))).orElseThrow(() -> nodes.error(node, key + ".model", "is required"));
            ModelSpec spec = ModelSpec.of(provider, name);
            try {
                if (m.value("base_url").isPresent()) {
                    Node u = m.value("base_url").get();
                    URI uri;
                    try {
                        uri = new URI(nodes.text(u, m.path("base_url")));
                    } catch (URISyntaxException e) {
                        throw nodes.error(u, m.path("base_url"), "not a URL: " + e.getMessage(), e);
                    }
                    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                        throw nodes.error(u, m.path("base_url"), "must be an http or https URL, got " + uri);
                    }
                    spec = spec.withBaseUrl(uri);
                }
                if (m.value("api_key_env").isPresent()) {
                    spec = spec.withApiKeyEnv(nodes.text(m.value("api_key_env").get(), m.path("api_key_env")));
                }
                if (m.value("api_key_file").isPresent()) {
                    Path file = existing(m.value("api_key_file").get(), m.path("api_key_file"));
                    spec = new ModelSpec(spec.provider(), spec.model(), spec.baseUrl(), spec.apiKeyEnv(), Optional.of(file), spec.contextTokens(),
                            spec.maxOutputTokens(), spec.timeout(), spec.maxRetries(), spec.temperature());
                }
                int context = m.value("context_tokens").map(n -> (int) nodes.integer(n, m.path("context_tokens"), 1024, 10_000_000)).orElse(spec.contextTokens());
                int output = m.value("max_output_tokens").map(n -> (int) nodes.integer(n, m.path("max_output_tokens"), 16, 1_000_000)).orElse(Math.min(spec.maxOutputTokens(), context / 2));
                Duration timeout = m.value("timeout").map(n -> nodes.duration(n, m.path("timeout"))).orElse(spec.timeout());
                int retries = m.value("max_retries").map(n -> (int) nodes.integer(n, m.path("max_retries"), 0, 10)).orElse(spec.maxRetries());
                double temperature = m.value("temperature").map(n -> nodes.number(n, m.path("temperature"), 0)).orElse(spec.temperature());
                return new ModelSpec(spec.provider(), spec.model(), spec.baseUrl(), spec.apiKeyEnv(), spec.apiKeyFile(), context, output, timeout, retries, temperature);
            } catch (IllegalArgumentException e) {
                throw nodes.error(node, key, e.getMessage(), e);
            }
        }

        /** A map of name: weight over {@code names}, each >= 0. */
        private Map<String, Double> weights(Node node, String key, List<String> names) {
            Map<String, Double> out = new LinkedHashMap<>();
            if (!(node instanceof MappingNode map)) {
                throw nodes.error(node, key, "expected a map of name: weight, got " + Nodes.describe(node));
            }
            for (NodeTuple t : map.getValue()) {
                String name = nodes.text(t.getKeyNode(), key);
                if (!names.contains(name)) {
                    throw nodes.error(t.getKeyNode(), key + "." + name, "unknown; choose from " + names);
                }
                out.put(name, nodes.number(t.getValueNode(), key + "." + name, 0));
            }
            return out;
        }

        /** An existing path: absolute, {@code ~/...}, or relative to the target. */
        private Path existing(Node node, String key) {
            String raw = nodes.text(node, key).strip();
            Path p = raw.equals("~") || raw.startsWith("~/")
                    ? Path.of(System.getProperty("user.home")).resolve(raw.substring(Math.min(2, raw.length())))
                    : root.resolve(raw);
            p = p.toAbsolutePath().normalize();
            if (!Files.exists(p)) {
                throw nodes.error(node, key, p + " does not exist");
            }
            return p;
        }

        /** A size: a whole number of bytes, or with k, m or g (1k = 1024 bytes), e.g. 512m, 2g, 1.5g. */
        private long bytes(Node node, String key) {
            String raw = nodes.text(node, key).strip();
            try {
                return Sizes.parse(raw);
            } catch (IllegalArgumentException e) {
                throw nodes.error(node, key, e.getMessage(), e);
            }
        }

        private Duration budgetTime(Node node) {
            if (node instanceof ScalarNode s && s.getValue().strip().equalsIgnoreCase("unlimited")) {
                return UNLIMITED;
            }
            return nodes.duration(node, "budget.time");
        }
    }
}
