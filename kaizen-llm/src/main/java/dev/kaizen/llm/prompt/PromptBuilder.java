package dev.kaizen.llm.prompt;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Lines;
import dev.kaizen.core.target.Constraint;
import dev.kaizen.core.target.Direction;
import dev.kaizen.core.target.Objective;
import dev.kaizen.llm.ModelSpec;
import dev.kaizen.llm.edit.EditFormat;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * Builds the prompt for one proposal and fits it to the model's context window.
 *
 * <p>The user message has these sections: the task (target name and description), the objective,
 * the program (its regions, each as {@code ### region: NAME} and a code block; both parents for a
 * crossover), its metrics, the evaluator's feedback, inspirations (metrics and the regions where
 * they differ from the program) and insights. When the system and user messages together exceed
 * {@code contextTokens - maxOutputTokens}, the builder gives up, in this order and each only as far
 * as needed: the inspirations' code (last inspiration first), the insights but the newest (oldest
 * first), the feedback's tail (down to {@value #MIN_FEEDBACK_CHARS} characters), whole inspirations
 * (last first), the newest insight, the feedback, the task description's tail (down to
 * {@value #MIN_DESCRIPTION_CHARS} characters), and last the tails of the program's regions. It never
 * fails on a long prompt: the result lists what it dropped, and only a system message larger than the
 * budget leaves it over. Equal inputs give equal prompts. Immutable and thread-safe.
 */
public final class PromptBuilder {

    /** The feedback is cut no shorter than this before whole inspirations go. */
    public static final int MIN_FEEDBACK_CHARS = 1000;
    /** The task description is cut no shorter than this. */
    public static final int MIN_DESCRIPTION_CHARS = 500;

    private final PromptTemplates templates;
    private final TokenCounter counter;

    public PromptBuilder(PromptTemplates templates, TokenCounter counter) {
        this.templates = Objects.requireNonNull(templates, "templates");
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    /** The prompt for {@code input}, fitted to {@code model}'s context window and reply size. */
    public Prompt build(PromptInput input, ModelSpec model) {
        return build(input, model.contextTokens(), model.maxOutputTokens());
    }

    /**
     * The prompt for {@code input}, fitted to {@code contextTokens - maxOutputTokens} tokens.
     *
     * @throws IllegalArgumentException when {@code maxOutputTokens} is not between 1 and {@code contextTokens - 1}
     */
    public Prompt build(PromptInput input, int contextTokens, int maxOutputTokens) {
        Objects.requireNonNull(input, "input");
        if (maxOutputTokens < 1 || maxOutputTokens >= contextTokens) {
            throw new IllegalArgumentException("maxOutputTokens must be between 1 and contextTokens - 1 (" + (contextTokens - 1) + "), got " + maxOutputTokens);
        }
        int budget = contextTokens - maxOutputTokens;
        Parts parts = new Parts(input);
        Map<String, String> common = new HashMap<>();
        common.put("target_name", input.target().name());
        common.put("objective", objective(input.target().objective()));
        common.put("regions", String.join(", ", input.parent().code().regions().keySet()));
        String system = templates.render(PromptTemplates.systemTemplate(input.format()), common);
        Fitter f = new Fitter(parts, common, counter.count(system), budget);
        List<String> dropped = new ArrayList<>();
        Plan p = f.plan;

        for (int i = parts.inspirations.size() - 1; i >= 0 && !f.fits(); i--) {
            if (!parts.inspirationCode.get(i).isEmpty()) {
                p.inspirationCode[i] = false;
                f.update();
                dropped.add("code of inspiration " + (i + 1));
            }
        }
        while (!f.fits() && p.insightsFrom < parts.insights.size() - 1) {
            p.insightsFrom++;
            f.update();
            dropped.add("insight " + p.insightsFrom + " of " + parts.insights.size());
        }
        int feedbackLength = parts.feedback.length();
        if (!f.fits() && feedbackLength > MIN_FEEDBACK_CHARS) {
            int hi = (int) Math.min(feedbackLength - 1L, budget * 32L);
            int keep = largest(MIN_FEEDBACK_CHARS, hi, n -> f.fitsWith(q -> q.feedbackChars = n));
            p.feedbackChars = Math.max(MIN_FEEDBACK_CHARS, keep);
            f.update();
            dropped.add("feedback cut to its first " + p.feedbackChars + " of " + feedbackLength + " characters");
        }
        for (int i = p.inspirationsShown - 1; i >= 0 && !f.fits(); i--) {
            p.inspirationsShown = i;
            f.update();
            dropped.add("inspiration " + (i + 1));
        }
        if (!f.fits() && p.insightsFrom < parts.insights.size()) {
            p.insightsFrom = parts.insights.size();
            f.update();
            dropped.add("insight " + parts.insights.size() + " of " + parts.insights.size());
        }
        if (!f.fits() && !parts.feedback.isEmpty()) {
            p.feedbackChars = 0;
            f.update();
            dropped.add("feedback");
        }
        int descriptionLength = parts.description.length();
        if (!f.fits() && descriptionLength > MIN_DESCRIPTION_CHARS) {
            int keep = largest(MIN_DESCRIPTION_CHARS, descriptionLength - 1, n -> f.fitsWith(q -> q.descriptionChars = n));
            p.descriptionChars = Math.max(MIN_DESCRIPTION_CHARS, keep);
            f.update();
            dropped.add("task description cut to its first " + p.descriptionChars + " of " + descriptionLength + " characters");
        }
        if (!f.fits()) {
            int longest = parts.longestRegion();
            int keep = largest(0, longest - 1, n -> f.fitsWith(q -> q.regionLines = n));
            p.regionLines = Math.max(0, keep);
            f.update();
            for (Parts.Region r : parts.allRegions()) {
                if (r.lines().size() > p.regionLines) {
                    dropped.add(r.owner() + "region " + r.name() + " cut to its first " + p.regionLines + " of " + r.lines().size() + " lines");
                }
            }
        }
        if (!f.fits()) {
            dropped.add("still " + (f.tokens - budget) + " tokens over the budget of " + budget + " (the system message takes " + f.systemTokens + ")");
        }
        return new Prompt(system, f.user, templates.version(), f.tokens, budget, dropped);
    }

    /** The largest n in [lo, hi] for which {@code test} holds (it holds for all smaller n), or lo - 1. */
    private static int largest(int lo, int hi, IntPredicate test) {
        int best = lo - 1;
        while (lo <= hi) {
            int mid = lo + (hi - lo) / 2;
            if (test.test(mid)) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }

    /** What to show: every count starts at "everything". Mutable, local to one build. */
    private static final class Plan {
        boolean[] inspirationCode;
        int inspirationsShown;
        int insightsFrom;
        int feedbackChars = Integer.MAX_VALUE;
        int descriptionChars = Integer.MAX_VALUE;
        int regionLines = Integer.MAX_VALUE;

        Plan copy() {
            Plan c = new Plan();
            c.inspirationCode = inspirationCode.clone();
            c.inspirationsShown = inspirationsShown;
            c.insightsFrom = insightsFrom;
            c.feedbackChars = feedbackChars;
            c.descriptionChars = descriptionChars;
            c.regionLines = regionLines;
            return c;
        }
    }

    /** Renders plans and keeps the current one's text and size. */
    private final class Fitter {
        final Parts parts;
        final Map<String, String> common;
        final int systemTokens;
        final int budget;
        final Plan plan = new Plan();
        String user;
        int tokens;

        Fitter(Parts parts, Map<String, String> common, int systemTokens, int budget) {
            this.parts = parts;
            this.common = common;
            this.systemTokens = systemTokens;
            this.budget = budget;
            plan.inspirationCode = new boolean[parts.inspirations.size()];
            java.util.Arrays.fill(plan.inspirationCode, true);
            plan.inspirationsShown = parts.inspirations.size();
            update();
        }

        boolean fits() {
            return tokens <= budget;
        }

        void update() {
            user = render(plan);
            tokens = systemTokens + counter.count(user);
        }

        boolean fitsWith(java.util.function.Consumer<Plan> change) {
            Plan q = plan.copy();
            change.accept(q);
            return systemTokens + counter.count(render(q)) <= budget;
        }

        String render(Plan q) {
            Map<String, String> v = new HashMap<>(common);
            v.put("task", parts.task(q.descriptionChars));
            v.put("objective", "## Objective\n" + capitalize(common.get("objective")) + ".");
            v.put("program", parts.program(q.regionLines));
            v.put("metrics", parts.metrics);
            v.put("feedback", parts.feedback(q.feedbackChars));
            v.put("inspirations", parts.inspirations(q.inspirationsShown, q.inspirationCode));
            v.put("insights", parts.insights(q.insightsFrom));
            return tidy(templates.render(PromptTemplates.USER, v));
        }
    }

    /** The prompt's pieces, formatted once. */
    private static final class Parts {
        record Region(String owner, String name, List<String> lines, String fence, String language) {}

        final PromptInput input;
        final String description;
        final List<Region> program;
        final List<Region> second;
        final String metrics;
        final String feedback;
        final List<String> inspirations;
        final List<String> inspirationCode;
        final List<String> insights;

        Parts(PromptInput input) {
            this.input = input;
            this.description = input.target().description().strip();
            boolean crossover = input.format() == EditFormat.CROSSOVER;
            this.program = regions(crossover ? "parent A " : "", input.parent().code());
            this.second = input.second().map(c -> regions("parent B ", c.code())).orElse(List.of());
            StringBuilder m = new StringBuilder("## Metrics\n");
            if (crossover) {
                m.append("Parent A: ").append(evaluation(input.parent().evaluation())).append('\n');
                m.append("Parent B: ").append(evaluation(input.second().orElseThrow().evaluation()));
            } else {
                m.append("The current program: ").append(evaluation(input.parent().evaluation()));
            }
            this.metrics = m.toString();
            this.feedback = input.parent().evaluation().feedback().strip();
            List<String> heads = new ArrayList<>();
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < input.inspirations().size(); i++) {
                Candidate c = input.inspirations().get(i);
                heads.add("### Inspiration " + (i + 1) + "\n" + evaluation(c.evaluation()) + "\n");
                codes.add(differingCode(input.parent().code(), c.code()));
            }
            this.inspirations = List.copyOf(heads);
            this.inspirationCode = List.copyOf(codes);
            this.insights = input.insights().stream().map(String::strip).toList();
        }

        List<Region> allRegions() {
            List<Region> all = new ArrayList<>(program);
            all.addAll(second);
            return all;
        }

        int longestRegion() {
            return allRegions().stream().mapToInt(r -> r.lines().size()).max().orElse(0);
        }

        String task(int descriptionChars) {
            StringBuilder out = new StringBuilder("## Task\nImprove the program \"").append(input.target().name()).append("\".");
            if (!description.isEmpty()) {
                out.append('\n').append(cut(description, descriptionChars));
            }
            return out.toString();
        }

        String program(int maxLines) {
            StringBuilder out = new StringBuilder();
            if (input.format() == EditFormat.CROSSOVER) {
                out.append("## Parent A\nThe base: regions you do not rewrite keep this text.\n\n");
                appendRegions(out, program, "###", maxLines);
                out.append("\n## Parent B\n\n");
                appendRegions(out, second, "###", maxLines);
            } else {
                out.append("## Current program\nIts evolvable regions, each a heading with the region's name and a code block with its text.\n\n");
                appendRegions(out, program, "###", maxLines);
            }
            return out.toString().stripTrailing();
        }

        String feedback(int chars) {
            if (feedback.isEmpty() || chars == 0) {
                return "";
            }
            String shown = cut(feedback, chars);
            String fence = fence(shown);
            StringBuilder out = new StringBuilder("## Evaluator feedback on the current program\n").append(fence).append('\n').append(shown).append('\n').append(fence);
            if (shown.length() < feedback.length()) {
                out.append("\n(the feedback's last ").append(feedback.length() - shown.length()).append(" characters are not shown)");
            }
            return out.toString();
        }

        String inspirations(int shown, boolean[] withCode) {
            if (shown == 0) {
                return "";
            }
            StringBuilder out = new StringBuilder("## Other programs, for inspiration\n");
            for (int i = 0; i < shown; i++) {
                out.append('\n').append(inspirations.get(i));
                if (withCode[i] && !inspirationCode.get(i).isEmpty()) {
                    out.append(inspirationCode.get(i));
                }
            }
            return out.toString().stripTrailing();
        }

        String insights(int from) {
            if (from >= insights.size()) {
                return "";
            }
            StringBuilder out = new StringBuilder("## Insights so far\n");
            for (int i = from; i < insights.size(); i++) {
                out.append("- ").append(insights.get(i)).append('\n');
            }
            return out.toString().stripTrailing();
        }

        private static List<Region> regions(String owner, Code code) {
            List<Region> out = new ArrayList<>();
            code.regions().forEach((name, text) -> out.add(new Region(owner, name, Lines.split(text), fence(text), language(name))));
            return List.copyOf(out);
        }

        private static String differingCode(Code parent, Code other) {
            StringBuilder out = new StringBuilder();
            List<Region> changed = new ArrayList<>();
            other.regions().forEach((name, text) -> {
                if (!text.equals(parent.regions().get(name))) {
                    changed.add(new Region("", name, Lines.split(text), fence(text), language(name)));
                }
            });
            if (changed.isEmpty()) {
                return "";
            }
            out.append("Its regions that differ from the current program:\n\n");
            appendRegions(out, changed, "####", Integer.MAX_VALUE);
            return out.toString();
        }

        private static void appendRegions(StringBuilder out, List<Region> regions, String heading, int maxLines) {
            for (Region r : regions) {
                out.append(heading).append(" region: ").append(r.name()).append('\n');
                out.append(r.fence()).append(r.language()).append('\n');
                int shown = Math.min(maxLines, r.lines().size());
                for (int i = 0; i < shown; i++) {
                    out.append(r.lines().get(i)).append('\n');
                }
                out.append(r.fence()).append('\n');
                if (shown < r.lines().size()) {
                    out.append("(the region's last ").append(r.lines().size() - shown).append(" lines are not shown)\n");
                }
                out.append('\n');
            }
        }
    }

    /** The objective in words: {@code maximize score (higher is better)}, with tie-breaker and constraints. */
    static String objective(Objective o) {
        StringBuilder out = new StringBuilder(direction(o.primary(), o.direction()));
        o.then().ifPresent(t -> out.append(", then ").append(direction(t.metric(), t.direction())).append(" to break ties"));
        if (!o.constraints().isEmpty()) {
            List<String> cs = new ArrayList<>();
            for (Constraint c : o.constraints()) {
                if (Double.isInfinite(c.min())) {
                    cs.add(c.metric() + " <= " + number(c.max()));
                } else if (Double.isInfinite(c.max())) {
                    cs.add(c.metric() + " >= " + number(c.min()));
                } else {
                    cs.add(number(c.min()) + " <= " + c.metric() + " <= " + number(c.max()));
                }
            }
            out.append("; every program must keep ").append(String.join(", ", cs));
        }
        return out.toString();
    }

    private static String direction(String metric, Direction d) {
        return d == Direction.MAXIMIZE ? "maximize " + metric + " (higher is better)" : "minimize " + metric + " (lower is better)";
    }

    private static String evaluation(Evaluation e) {
        StringBuilder out = new StringBuilder(e.outcome().kind());
        if (!e.outcome().reason().isBlank()) {
            out.append(" (").append(cut(e.outcome().reason().strip().replace('\n', ' '), 300)).append(')');
        }
        if (!e.metrics().isEmpty()) {
            List<String> ms = new ArrayList<>();
            e.metrics().forEach((k, v) -> ms.add(k + " = " + number(v)));
            out.append("; ").append(String.join(", ", ms));
        }
        return out.toString();
    }

    /** A number in at most 6 significant digits, the same on every machine. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e15) {
            return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.5e", v);
    }

    private static String cut(String s, int chars) {
        return s.length() <= chars ? s : s.substring(0, chars);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A backtick fence longer than any backtick run that starts a line of {@code text}. */
    private static String fence(String text) {
        int longest = 0;
        for (String line : Lines.split(text)) {
            String s = line.stripLeading();
            int n = 0;
            while (n < s.length() && s.charAt(n) == '`') {
                n++;
            }
            longest = Math.max(longest, n);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    private static String language(String region) {
        int hash = region.lastIndexOf('#');
        String file = hash > 0 ? region.substring(0, hash) : region;
        int dot = file.lastIndexOf('.');
        String ext = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "py" -> "python";
            case "java" -> "java";
            case "kt" -> "kotlin";
            case "js", "mjs" -> "javascript";
            case "ts" -> "typescript";
            case "c", "h" -> "c";
            case "cc", "cpp", "hpp", "cxx" -> "cpp";
            case "rs" -> "rust";
            case "go" -> "go";
            case "rb" -> "ruby";
            case "sh" -> "bash";
            case "scala" -> "scala";
            default -> "";
        };
    }

    /**
     * The rendered user message with runs of blank lines outside code blocks (left by empty sections)
     * folded into one, and no blank lines at either end. Code blocks are left exactly as they are.
     */
    static String tidy(String text) {
        StringBuilder out = new StringBuilder(text.length());
        String openFence = null;
        boolean lastBlank = true;
        for (String line : Lines.split(text)) {
            if (openFence == null) {
                if (line.isBlank()) {
                    if (!lastBlank) {
                        out.append('\n');
                    }
                    lastBlank = true;
                    continue;
                }
                lastBlank = false;
                String s = line.strip();
                if (s.startsWith("```")) {
                    int n = 0;
                    while (n < s.length() && s.charAt(n) == '`') {
                        n++;
                    }
                    openFence = s.substring(0, n);
                }
            } else {
                String s = line.strip();
                if (s.startsWith(openFence) && s.chars().allMatch(c -> c == '`')) {
                    openFence = null;
                }
                lastBlank = false;
            }
            out.append(line).append('\n');
        }
        String result = out.toString();
        while (result.endsWith("\n\n")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
