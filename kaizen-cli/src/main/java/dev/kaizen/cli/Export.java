package dev.kaizen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.llm.record.Cassette;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kaizen export RUN --format sft|dpo}: fine-tuning data from a run's model exchanges.
 * {@code sft}: one chat per exchange whose edit improved on its parent (system and user prompt,
 * the model's reply as the assistant turn). {@code dpo}: for each parent, its best improving reply
 * as {@code chosen} against each reply of the same parent that did not improve as {@code rejected}.
 * Each line carries the run, the candidate, its parent, the gain and the model.
 */
@Command(name = "export", description = "Write fine-tuning data (JSONL) from a run's model exchanges: sft (prompt -> improving edit) or dpo (chosen vs rejected edits).")
final class Export implements Callable<Integer> {

    private static final Pattern EXCHANGE = Pattern.compile("\\[exchanges? ([^\\]]+)]");

    @Parameters(paramLabel = "RUN", description = "A run directory, a target directory (its latest run) or a run id.")
    String run;

    @Option(names = "--format", required = true, description = "sft or dpo.")
    String format;

    @Option(names = "--out", description = "The JSONL file to write (default: RUN/export-FORMAT.jsonl).")
    Path outFile;

    /** One model edit that became a candidate: the exchange whose reply was applied, and what it gained over its parent. */
    record Example(Candidate child, Candidate parent, Cassette.Exchange exchange, double gain, boolean improved) {}

    @Override
    public Integer call() throws IOException {
        if (!format.equals("sft") && !format.equals("dpo")) {
            throw new CliException("--format must be sft or dpo, got " + format);
        }
        PrintStream out = Main.Context.out();
        try (Inspect.Opened o = Inspect.Opened.of(run)) {
            Path cassetteDir = o.run().dir().resolve("llm");
            if (!Files.isRegularFile(cassetteDir.resolve(Cassette.FILE_NAME))) {
                throw new CliException("run " + o.run().id() + " has no model exchanges (no " + Cassette.FILE_NAME + " in " + cassetteDir + "): it ran without llm:");
            }
            List<Example> examples;
            try (Cassette cassette = Cassette.openReadOnly(cassetteDir)) {
                examples = examples(o, cassette);
            }
            ObjectMapper json = new ObjectMapper();
            Path target = outFile != null ? outFile : o.run().dir().resolve("export-" + format + ".jsonl");
            int lines = 0;
            try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                for (ObjectNode line : format.equals("sft") ? sft(json, o, examples) : dpo(json, o, examples)) {
                    w.write(json.writeValueAsString(line));
                    w.newLine();
                    lines++;
                }
            }
            long improved = examples.stream().filter(Example::improved).count();
            out.println("wrote " + lines + " " + format + " example(s) to " + Runner.display(target) + " (" + examples.size()
                    + " model edits in the run, " + improved + " improved on their parent)");
            return 0;
        }
    }

    private static List<Example> examples(Inspect.Opened o, Cassette cassette) {
        List<Example> out = new ArrayList<>();
        for (Candidate c : o.archive().history(0, Integer.MAX_VALUE)) {
            if (!c.operator().startsWith("llm.") || c.parents().isEmpty()) {
                continue;
            }
            Matcher m = EXCHANGE.matcher(c.description());
            if (!m.find()) {
                continue;
            }
            String[] ids = m.group(1).split(",\\s*");
            Optional<Cassette.Exchange> exchange = cassette.find(ids[ids.length - 1].strip());
            Optional<Candidate> parent = o.archive().find(c.parents().getFirst());
            if (exchange.isEmpty() || !exchange.get().ok() || parent.isEmpty()) {
                continue;
            }
            Candidate p = parent.get();
            boolean improved = c.feasible() && (!p.feasible() || c.fitness() > p.fitness());
            double gain = c.feasible() && p.feasible() ? c.fitness() - p.fitness() : improved ? Double.NaN : 0;
            out.add(new Example(c, p, exchange.get(), gain, improved));
        }
        return out;
    }

    private static List<ObjectNode> sft(ObjectMapper json, Inspect.Opened o, List<Example> examples) {
        List<ObjectNode> lines = new ArrayList<>();
        for (Example e : examples) {
            if (!e.improved()) {
                continue;
            }
            ObjectNode line = json.createObjectNode();
            ArrayNode messages = line.putArray("messages");
            messages.addObject().put("role", "system").put("content", e.exchange().request().system());
            messages.addObject().put("role", "user").put("content", e.exchange().request().user());
            messages.addObject().put("role", "assistant").put("content", e.exchange().reply());
            metadata(line, o, e);
            lines.add(line);
        }
        return lines;
    }

    private static List<ObjectNode> dpo(ObjectMapper json, Inspect.Opened o, List<Example> examples) {
        Map<String, List<Example>> byParent = new LinkedHashMap<>();
        for (Example e : examples) {
            byParent.computeIfAbsent(e.parent().id().hex() + " " + e.child().operator(), k -> new ArrayList<>()).add(e);
        }
        List<ObjectNode> lines = new ArrayList<>();
        for (List<Example> group : byParent.values()) {
            Optional<Example> chosen = group.stream().filter(Example::improved)
                    .max(Comparator.comparingDouble(e -> Double.isNaN(e.gain()) ? Double.MAX_VALUE : e.gain()));
            if (chosen.isEmpty()) {
                continue;
            }
            for (Example rejected : group) {
                if (rejected.improved()) {
                    continue;
                }
                ObjectNode line = json.createObjectNode();
                ArrayNode prompt = line.putArray("prompt");
                prompt.addObject().put("role", "system").put("content", chosen.get().exchange().request().system());
                prompt.addObject().put("role", "user").put("content", chosen.get().exchange().request().user());
                line.put("chosen", chosen.get().exchange().reply());
                line.put("rejected", rejected.exchange().reply());
                metadata(line, o, chosen.get());
                ((ObjectNode) line.get("metadata")).put("rejected_candidate", rejected.child().id().hex())
                        .put("rejected_outcome", rejected.child().evaluation().outcome().kind());
                lines.add(line);
            }
        }
        return lines;
    }

    private static void metadata(ObjectNode line, Inspect.Opened o, Example e) {
        ObjectNode meta = line.putObject("metadata");
        meta.put("run", o.run().id());
        meta.put("candidate", e.child().id().hex());
        meta.put("parent", e.parent().id().hex());
        meta.put("operator", e.child().operator());
        meta.put("model", e.exchange().model());
        meta.put("exchange", e.exchange().id());
        meta.put("outcome", e.child().evaluation().outcome().kind());
        if (Double.isFinite(e.gain())) {
            meta.put("gain", e.gain());
        }
    }
}
