package dev.kaizen.llm.edit;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Lines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Full rewrites, the edit format of {@link EditFormat#REWRITE} and {@link EditFormat#CROSSOVER}: the
 * reply gives the complete new text of each region it changes, as a heading line naming the region
 * followed by one fenced code block:
 *
 * <pre>
 * ### region: packing.py#1
 * ```python
 * the region's complete new text
 * ```
 * </pre>
 *
 * The heading is {@code #} to {@code ######}, then {@code region:} (any case), then the region name
 * (backticks allowed). The code block opens with three or more backticks or tildes and ends at the
 * last matching bare fence before the next heading, so the code may itself contain fence lines.
 * Prose may stand anywhere outside the code blocks. A target with one region may be answered with a
 * single fenced block and no heading. Regions the reply does not name keep the parent's text.
 * Stateless; all methods are thread-safe.
 */
public final class FullRewrite {

    private FullRewrite() {}

    /**
     * The new text of one region.
     *
     * @param region the region named by its heading; empty for a lone unnamed block
     * @param text   the code block's lines joined with {@code \n}, without a final newline
     * @param line   1-based reply line of the heading (or of the fence when unnamed)
     */
    public record RegionText(Optional<String> region, String text, int line) {
        public RegionText {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The region texts of a reply, in order; empty when it has none.
     *
     * @throws EditParseException when a heading has no code block, a block is never closed, or
     *                            several blocks stand without headings
     */
    public static List<RegionText> parse(String reply) {
        Objects.requireNonNull(reply, "reply");
        List<String> lines = ReplyText.lines(reply);
        List<Integer> headings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (isHeading(lines.get(i))) {
                headings.add(i);
            }
        }
        if (headings.isEmpty()) {
            return unnamed(lines);
        }
        List<RegionText> out = new ArrayList<>();
        for (int h = 0; h < headings.size(); h++) {
            int head = headings.get(h);
            int end = h + 1 < headings.size() ? headings.get(h + 1) : lines.size();
            Optional<String> name = ReplyText.name(lines.get(head));
            if (name.isEmpty()) {
                throw new EditParseException("reply line " + (head + 1) + ": the heading names no region: " + ReplyText.clip(lines.get(head).strip(), 200));
            }
            int open = -1;
            ReplyText.Fence fence = null;
            for (int i = head + 1; i < end; i++) {
                Optional<ReplyText.Fence> f = ReplyText.fence(lines.get(i));
                if (f.isPresent()) {
                    open = i;
                    fence = f.get();
                    break;
                }
            }
            if (open < 0) {
                throw new EditParseException("reply line " + (head + 1) + ": no fenced code block follows the heading of region " + name.get());
            }
            int close = -1;
            for (int i = end - 1; i > open; i--) {
                Optional<ReplyText.Fence> f = ReplyText.fence(lines.get(i));
                if (f.isPresent() && f.get().closes(fence)) {
                    close = i;
                    break;
                }
            }
            if (close < 0) {
                throw new EditParseException("reply line " + (open + 1) + ": the code block of region " + name.get()
                        + " is never closed" + (end == lines.size() ? " (the reply may have been cut off)" : " before the next heading"));
            }
            out.add(new RegionText(name, String.join("\n", lines.subList(open + 1, close)), head + 1));
        }
        return List.copyOf(out);
    }

    private static boolean isHeading(String line) {
        String s = line.strip();
        if (!s.startsWith("#")) {
            return false;
        }
        int n = 0;
        while (n < s.length() && s.charAt(n) == '#') {
            n++;
        }
        return n <= 6 && s.substring(n).strip().toLowerCase(Locale.ROOT).startsWith("region:");
    }

    private static List<RegionText> unnamed(List<String> lines) {
        List<RegionText> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            Optional<ReplyText.Fence> open = ReplyText.fence(lines.get(i));
            if (open.isEmpty()) {
                i++;
                continue;
            }
            int close = -1;
            for (int j = i + 1; j < lines.size(); j++) {
                Optional<ReplyText.Fence> f = ReplyText.fence(lines.get(j));
                if (f.isPresent() && f.get().closes(open.get())) {
                    close = j;
                    break;
                }
            }
            if (close < 0) {
                throw new EditParseException("reply line " + (i + 1) + ": the code block opened here is never closed (the reply may have been cut off)");
            }
            out.add(new RegionText(Optional.empty(), String.join("\n", lines.subList(i + 1, close)), i + 1));
            i = close + 1;
        }
        if (out.size() > 1) {
            throw new EditParseException("the reply has " + out.size() + " code blocks but no '### region: NAME' headings;"
                    + " put the heading naming its region before each code block");
        }
        return List.copyOf(out);
    }

    /** Parses {@code reply} and applies it to {@code parent}; {@code label} ({@code rewrite}, {@code crossover}) starts the summary. */
    public static EditResult edit(Code parent, String reply, String label) {
        List<RegionText> texts;
        try {
            texts = parse(reply);
        } catch (EditParseException e) {
            return new EditResult.Failed("the reply's region rewrites are malformed: " + e.getMessage(), true);
        }
        return apply(parent, texts, label);
    }

    /** Replaces the named regions of {@code parent}; see the class comment. */
    public static EditResult apply(Code parent, List<RegionText> texts, String label) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(label, "label");
        if (texts.isEmpty()) {
            return new EditResult.Failed("no edit found: the reply has no '### region: NAME' heading followed by a fenced code block", true);
        }
        Map<String, RegionText> byRegion = new LinkedHashMap<>();
        for (RegionText t : texts) {
            String region;
            if (t.region().isEmpty()) {
                if (parent.regions().size() != 1) {
                    return new EditResult.Failed("reply line " + t.line() + ": the code block names no region, and there are "
                            + parent.regions().size() + " (" + String.join(", ", parent.regions().keySet())
                            + "); put '### region: NAME' before each code block", true);
                }
                region = parent.regions().firstKey();
            } else {
                Optional<String> resolved = resolve(parent, t.region().get());
                if (resolved.isEmpty()) {
                    return new EditResult.Failed("reply line " + t.line() + ": unknown region '" + t.region().get() + "'; the regions are "
                            + String.join(", ", parent.regions().keySet()), true);
                }
                region = resolved.get();
            }
            if (byRegion.containsKey(region)) {
                return new EditResult.Failed("reply line " + t.line() + ": region " + region + " is rewritten twice (first at reply line "
                        + byRegion.get(region).line() + "); give each region once", true);
            }
            Optional<String> marker = ReplyText.marker(t.text());
            if (marker.isPresent()) {
                return new EditResult.Failed("reply line " + t.line() + ": the new text of region " + region + " contains the marker "
                        + marker.get() + "; evolve markers may not appear inside a region", false);
            }
            byRegion.put(region, t);
        }
        Map<String, String> result = new TreeMap<>(parent.regions());
        List<String> changed = new ArrayList<>();
        byRegion.forEach((region, t) -> {
            String old = parent.region(region);
            boolean finalNewline = old.isEmpty() || old.endsWith("\n");
            String text = t.text().isEmpty() ? "" : Lines.join(Lines.split(t.text()), finalNewline);
            if (!text.equals(old)) {
                changed.add(region);
            }
            result.put(region, text);
        });
        if (changed.isEmpty()) {
            return new EditResult.Failed("no edit found: the rewrite leaves every region unchanged", true);
        }
        return new EditResult.Applied(Code.of(result), label + ": " + String.join(", ", changed));
    }

    /** The region {@code name} denotes: itself, or the only region of the file it names. */
    private static Optional<String> resolve(Code parent, String name) {
        if (parent.regions().containsKey(name)) {
            return Optional.of(name);
        }
        List<String> inFile = parent.regions().keySet().stream()
                .filter(r -> r.startsWith(name + "#") || r.endsWith("/" + name) || r.contains("/" + name + "#")).toList();
        return inFile.size() == 1 ? Optional.of(inFile.get(0)) : Optional.empty();
    }
}
