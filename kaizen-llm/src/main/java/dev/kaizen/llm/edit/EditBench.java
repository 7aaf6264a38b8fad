package dev.kaizen.llm.edit;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Direction;
import dev.kaizen.core.target.Objective;
import dev.kaizen.core.target.Target;
import dev.kaizen.llm.prompt.Prompt;
import dev.kaizen.llm.prompt.PromptBuilder;
import dev.kaizen.llm.prompt.PromptInput;
import dev.kaizen.llm.prompt.PromptTemplates;
import dev.kaizen.llm.prompt.TokenCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Measures what one language-model proposal costs besides the model: building the prompt for a
 * 300-line parent with 5 inspirations and 4 KiB of feedback, parsing a reply with 3 search/replace
 * blocks, and applying them. Prints the median and 90th percentile of each step over N iterations
 * (first argument, default 5000) after as many warm-up iterations.
 */
public final class EditBench {

    private EditBench() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        if (n < 1) {
            throw new IllegalArgumentException("iterations must be positive, got " + n);
        }
        String file = source();
        Blueprint blueprint = new Blueprint(List.of(Blueprint.parse("packing.py", file)));
        Target target = new Target("circle-packing", "Pack 26 circles into the unit square so that the sum of their radii is as large as possible.",
                Path.of("circle-packing"), blueprint, Objective.maximize("sum_radii").thenBy("seconds", Direction.MINIMIZE), List.of());
        Code seed = blueprint.seed();
        String region = seed.region("packing.py#1");
        Candidate parent = candidate(seed, Evaluation.failed(new Outcome.Incorrect("2 circles overlap"), feedback(), "validate", Duration.ofMillis(900)));
        List<Candidate> inspirations = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Code variant = seed.withRegion("packing.py#1", region.replace("0.5 *", "0." + (4 + i) + " *").replace("step = 0.0", "step = 0.0" + i));
            inspirations.add(candidate(variant, Evaluation.passed(Map.of("sum_radii", 2.5 + i / 100.0, "seconds", 1.0 + i / 10.0), "", "run",
                    Duration.ofMillis(800))));
        }
        List<String> insights = List.of("A hexagonal start beats a square grid.", "Shrinking radii before moving circles avoids overlaps.",
                "More than 200 relaxation steps rarely help.", "Circles at the corners should have the largest radii.",
                "Clamp the centers into the square after every step.");
        PromptInput input = new PromptInput(EditFormat.DIFF, target, parent, Optional.empty(), inspirations, insights);
        PromptBuilder builder = new PromptBuilder(PromptTemplates.defaults(), TokenCounter.estimate());
        String reply = reply();

        Prompt first = builder.build(input, 32_768, 4096);
        EditResult check = SearchReplace.edit(seed, reply, Optional.of(blueprint));
        if (!(check instanceof EditResult.Applied applied)) {
            throw new IllegalStateException("the benchmark reply does not apply: " + ((EditResult.Failed) check).error());
        }
        System.out.printf(Locale.ROOT, "parent: %d region lines; prompt: %d + %d chars, ~%d tokens of %d, dropped %s; edit: %s%n",
                region.split("\n").length, first.system().length(), first.user().length(), first.tokens(), first.budget(), first.dropped(),
                applied.summary());

        long[] prompt = new long[n];
        long[] parse = new long[n];
        long[] apply = new long[n];
        long[] total = new long[n];
        long sink = 0;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                Prompt p = builder.build(input, 32_768, 4096);
                long t1 = System.nanoTime();
                List<SearchReplace.Block> blocks = SearchReplace.parse(reply);
                long t2 = System.nanoTime();
                EditResult r = SearchReplace.apply(seed, blocks, Optional.of(blueprint));
                long t3 = System.nanoTime();
                sink += p.user().length() + blocks.size() + (r instanceof EditResult.Applied a ? a.code().length() : 0);
                prompt[i] = t1 - t0;
                parse[i] = t2 - t1;
                apply[i] = t3 - t2;
                total[i] = t3 - t0;
            }
        }
        System.out.printf(Locale.ROOT, "%d iterations (after %d warm-up)%n", n, n);
        report("build prompt", prompt);
        report("parse reply", parse);
        report("apply blocks", apply);
        report("total", total);
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-13s median %8.1f us   p90 %8.1f us%n", what, s[s.length / 2] / 1e3, s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.9) - 1)] / 1e3);
    }

    private static Candidate candidate(Code code, Evaluation e) {
        return new Candidate(0, code.id(), code, List.of(), "seed", "", Patch.empty(), e, Double.NaN, 0, "", 0, Instant.EPOCH);
    }

    /** A circle-packing program whose evolve block holds 300 lines. */
    static String source() {
        StringBuilder b = new StringBuilder("import math\nimport random\n\n# EVOLVE-BLOCK-START\n");
        b.append("def construct(n):\n    step = 0.0\n    centers = []\n    radii = []\n");
        int lines = 4;
        int k = 0;
        while (lines < 290) {
            b.append("\n    # phase ").append(k).append('\n');
            b.append("    for i in range(n):\n");
            b.append("        x_").append(k).append(" = 0.5 * math.cos(i * ").append(k + 1).append(") + step\n");
            b.append("        y_").append(k).append(" = 0.5 * math.sin(i * ").append(k + 1).append(") - step\n");
            b.append("        if 0.0 < x_").append(k).append(" < 1.0 and 0.0 < y_").append(k).append(" < 1.0:\n");
            b.append("            centers.append((x_").append(k).append(", y_").append(k).append("))\n");
            b.append("            radii.append(min(x_").append(k).append(", y_").append(k).append(", 1 - x_").append(k).append(", 1 - y_").append(k).append("))\n");
            lines += 8;
            k++;
        }
        while (lines < 299) {
            b.append("    step += 0.001\n");
            lines++;
        }
        b.append("    return centers[:n], radii[:n]\n");
        b.append("# EVOLVE-BLOCK-END\n\n\ndef run():\n    centers, radii = construct(26)\n    return sum(radii)\n");
        return b.toString();
    }

    private static String feedback() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 4096; i++) {
            b.append("validate: circles ").append(i).append(" and ").append(i + 7).append(" overlap by 0.0").append(i % 10)
                    .append(" (centers (0.31, 0.52) and (0.33, 0.55), radii 0.12 and 0.11)\n");
        }
        return b.substring(0, 4096);
    }

    private static String reply() {
        return """
                The circles of phase 3 start too close to the edge, so they overlap their neighbours. I move them inward,
                take smaller radii in phase 10, and make the final steps smaller.

                ### region: packing.py#1
                ```python
                <<<<<<< SEARCH
                        x_3 = 0.5 * math.cos(i * 4) + step
                        y_3 = 0.5 * math.sin(i * 4) - step
                =======
                        x_3 = 0.45 * math.cos(i * 4) + 0.5 + step
                        y_3 = 0.45 * math.sin(i * 4) + 0.5 - step
                >>>>>>> REPLACE
                ```

                ```python
                <<<<<<< SEARCH
                if 0.0 < x_10 < 1.0 and 0.0 < y_10 < 1.0:
                    centers.append((x_10, y_10))
                    radii.append(min(x_10, y_10, 1 - x_10, 1 - y_10))
                =======
                if 0.0 < x_10 < 1.0 and 0.0 < y_10 < 1.0:
                    centers.append((x_10, y_10))
                    radii.append(0.9 * min(x_10, y_10, 1 - x_10, 1 - y_10))
                >>>>>>> REPLACE
                ```

                packing.py
                <<<<<<< SEARCH
                    step += 0.001
                    return centers[:n], radii[:n]
                =======
                    step += 0.0005
                    return centers[:n], radii[:n]
                >>>>>>> REPLACE
                """;
    }
}
