package dev.kaizen.llm.edit;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Lines;
import dev.kaizen.core.target.Blueprint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Search/replace blocks, the edit format of {@link EditFormat#DIFF}:
 *
 * <pre>
 * ### region: packing.py#1
 * &lt;&lt;&lt;&lt;&lt;&lt;&lt; SEARCH
 * lines copied from the region
 * =======
 * the lines to put in their place
 * &gt;&gt;&gt;&gt;&gt;&gt;&gt; REPLACE
 * </pre>
 *
 * The line before a block (blank lines and a code fence between are skipped) may name the region
 * ({@code packing.py#1}) or the file ({@code packing.py}) it edits, with or without {@code ###},
 * {@code region:} or {@code file:}; blocks may sit inside code fences and between prose. Marker
 * lines are 5 to 9 characters long, case-insensitive, and may be indented.
 *
 * <p>Blocks apply in order, each to the result of the ones before. A block's SEARCH text must lie
 * inside one region and match exactly one place there: first exactly, then ignoring trailing
 * whitespace, then ignoring blank lines and a uniform indentation offset (the REPLACE text is then
 * shifted by the same offset). Either every block applies or none does; the failure names each
 * failing block. Stateless; all methods are thread-safe.
 */
public final class SearchReplace {

    private static final int MAX_SCORED_LINES = 200;
    private static final int MAX_QUOTED_LINES = 40;

    private SearchReplace() {}

    /**
     * One search/replace block.
     *
     * @param index   1-based position in the reply
     * @param line    1-based reply line of its {@code <<<<<<< SEARCH} marker
     * @param target  the region or file named on the line before it, if any
     * @param search  the lines to find, joined with {@code \n}
     * @param replace the lines to put in their place, joined with {@code \n}
     */
    public record Block(int index, int line, Optional<String> target, String search, String replace) {
        public Block {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(search, "search");
            Objects.requireNonNull(replace, "replace");
        }

        List<String> searchLines() {
            return split(search);
        }

        List<String> replaceLines() {
            return split(replace);
        }

        private static List<String> split(String s) {
            return s.isEmpty() ? List.of() : List.of(s.split("\n", -1));
        }

        String where() {
            return "block " + index + " (reply line " + line + ")";
        }
    }

    /**
     * The blocks of a reply, in order; empty when it has none.
     *
     * @throws EditParseException when a block is malformed (the message names the reply line)
     */
    public static List<Block> parse(String reply) {
        Objects.requireNonNull(reply, "reply");
        List<String> lines = ReplyText.lines(reply);
        List<Block> blocks = new ArrayList<>();
        int state = 0; // 0 outside, 1 search, 2 replace
        int open = -1;
        int divider = -1;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (isSearch(t)) {
                if (state != 0) {
                    throw new EditParseException("reply line " + (i + 1) + ": '<<<<<<< SEARCH' inside the block opened at line " + (open + 1)
                            + "; end each block with '>>>>>>> REPLACE' before starting the next");
                }
                state = 1;
                open = i;
            } else if (state == 1 && isDivider(t)) {
                state = 2;
                divider = i;
            } else if (isReplace(t)) {
                if (state == 0) {
                    throw new EditParseException("reply line " + (i + 1) + ": '>>>>>>> REPLACE' without a block opened by '<<<<<<< SEARCH'");
                }
                if (state == 1) {
                    throw new EditParseException("reply line " + (i + 1) + ": '>>>>>>> REPLACE' before the '=======' divider of the block opened at line "
                            + (open + 1));
                }
                blocks.add(block(blocks.size() + 1, lines, open, divider, i));
                state = 0;
            }
        }
        if (state == 1) {
            throw new EditParseException("reply line " + (open + 1) + ": the block opened here has no '=======' divider and no '>>>>>>> REPLACE' end");
        }
        if (state == 2) {
            throw new EditParseException("reply line " + (open + 1) + ": the block opened here is never closed by '>>>>>>> REPLACE'");
        }
        return List.copyOf(blocks);
    }

    private static boolean isSearch(String t) {
        return marker(t, '<', "SEARCH");
    }

    private static boolean isReplace(String t) {
        return marker(t, '>', "REPLACE");
    }

    private static boolean isDivider(String t) {
        return t.length() >= 5 && t.length() <= 9 && t.chars().allMatch(c -> c == '=');
    }

    private static boolean marker(String t, char c, String word) {
        int n = 0;
        while (n < t.length() && t.charAt(n) == c) {
            n++;
        }
        return n >= 5 && n <= 9 && t.substring(n).strip().toUpperCase(Locale.ROOT).equals(word);
    }

    private static Block block(int index, List<String> lines, int open, int divider, int end) {
        List<String> search = new ArrayList<>(lines.subList(open + 1, divider));
        List<String> replace = new ArrayList<>(lines.subList(divider + 1, end));
        boolean openS = !search.isEmpty() && ReplyText.fence(search.get(0)).isPresent();
        boolean closeS = search.size() > 1 && bareFence(search.get(search.size() - 1));
        boolean openR = !replace.isEmpty() && ReplyText.fence(replace.get(0)).isPresent();
        boolean closeR = replace.size() > 1 && bareFence(replace.get(replace.size() - 1));
        if (openS && closeS) {
            search = search.subList(1, search.size() - 1);
        } else if (openS && closeR && !openR) {
            search = search.subList(1, search.size());
            replace = replace.subList(0, replace.size() - 1);
            closeR = false;
        }
        if (openR && closeR) {
            replace = replace.subList(1, replace.size() - 1);
        }
        return new Block(index, open + 1, target(lines, open), String.join("\n", search), String.join("\n", replace));
    }

    private static boolean bareFence(String line) {
        return ReplyText.fence(line).filter(f -> f.info().isEmpty()).isPresent();
    }

    /** The name on the first non-blank line above {@code open}, looking through one code fence. */
    private static Optional<String> target(List<String> lines, int open) {
        boolean fenceSeen = false;
        for (int i = open - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Optional<ReplyText.Fence> fence = ReplyText.fence(line);
            if (fence.isPresent() && !fenceSeen) {
                fenceSeen = true;
                String[] words = fence.get().info().split("\\s+");
                if (words.length >= 2) {
                    return ReplyText.name(words[words.length - 1]);
                }
                continue;
            }
            if (isReplace(line.strip()) || fence.isPresent()) {
                return Optional.empty();
            }
            return ReplyText.name(line);
        }
        return Optional.empty();
    }

    /** Parses {@code reply} and applies its blocks to {@code parent}; see {@link #apply(Code, List, Optional)}. */
    public static EditResult edit(Code parent, String reply, Optional<Blueprint> blueprint) {
        List<Block> blocks;
        try {
            blocks = parse(reply);
        } catch (EditParseException e) {
            return new EditResult.Failed("the reply's search/replace blocks are malformed: " + e.getMessage(), true);
        }
        return apply(parent, blocks, blueprint);
    }

    /** Applies {@code blocks} to {@code parent} without knowledge of the fixed text around the regions. */
    public static EditResult apply(Code parent, List<Block> blocks) {
        return apply(parent, blocks, Optional.empty());
    }

    /**
     * Applies {@code blocks} to {@code parent}, all or nothing. With the target's {@code blueprint}, a
     * block whose SEARCH text is found only in fixed text (or across a region's edge) is refused as an
     * edit outside the evolve regions; without it, such a block is reported as not found.
     */
    public static EditResult apply(Code parent, List<Block> blocks, Optional<Blueprint> blueprint) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(blocks, "blocks");
        Objects.requireNonNull(blueprint, "blueprint");
        if (blocks.isEmpty()) {
            return new EditResult.Failed("no edit found: the reply has no '<<<<<<< SEARCH' / '=======' / '>>>>>>> REPLACE' block", true);
        }
        Map<String, List<String>> state = new TreeMap<>();
        Map<String, Boolean> finalNewline = new TreeMap<>();
        parent.regions().forEach((name, text) -> {
            state.put(name, new ArrayList<>(Lines.split(text)));
            finalNewline.put(name, text.isEmpty() || text.endsWith("\n"));
        });
        Map<String, String> files = fileOfRegion(parent, blueprint);
        List<String> errors = new ArrayList<>();
        boolean retryable = true;
        Map<String, Integer> perRegion = new LinkedHashMap<>();
        int adjusted = 0;
        for (Block b : blocks) {
            Optional<String> marker = ReplyText.marker(b.replace());
            if (marker.isPresent()) {
                errors.add(b.where() + ": its REPLACE text contains the marker " + marker.get()
                        + "; evolve markers may not appear inside a region");
                retryable = false;
                continue;
            }
            List<String> candidates = candidates(b.target(), state.keySet(), files);
            Outcome o = applyOne(b, candidates, state, blueprint, finalNewline);
            if (o.error != null) {
                errors.add(o.error);
                retryable &= o.retryable;
            } else {
                perRegion.merge(o.region, 1, Integer::sum);
                if (o.level > 0) {
                    adjusted++;
                }
            }
        }
        if (!errors.isEmpty()) {
            String head = errors.size() == 1 && blocks.size() == 1 ? "" : errors.size() + " of " + blocks.size() + " search/replace blocks failed; none was applied.\n\n";
            return new EditResult.Failed(head + String.join("\n\n", errors), retryable);
        }
        Map<String, String> result = new TreeMap<>();
        state.forEach((name, lines) -> result.put(name, Lines.join(lines, finalNewline.get(name))));
        for (Map.Entry<String, String> e : result.entrySet()) {
            Optional<String> m = ReplyText.marker(e.getValue());
            if (m.isPresent() && ReplyText.marker(parent.region(e.getKey())).isEmpty()) {
                return new EditResult.Failed("region " + e.getKey() + " would contain the marker " + m.get()
                        + "; evolve markers may not appear inside a region", false);
            }
        }
        Code child = Code.of(result);
        if (child.equals(parent)) {
            return new EditResult.Failed("no edit found: the search/replace blocks leave the code unchanged (each REPLACE equals its SEARCH)", true);
        }
        StringBuilder summary = new StringBuilder("search/replace: ").append(blocks.size()).append(blocks.size() == 1 ? " block in " : " blocks in ");
        List<String> parts = new ArrayList<>();
        perRegion.forEach((region, n) -> parts.add(region + (n > 1 ? " (" + n + ")" : "")));
        summary.append(String.join(", ", parts));
        if (adjusted > 0) {
            summary.append("; ").append(adjusted).append(" matched after whitespace adjustment");
        }
        return new EditResult.Applied(child, summary.toString());
    }

    /** For each region, the file it belongs to. */
    private static Map<String, String> fileOfRegion(Code parent, Optional<Blueprint> blueprint) {
        Map<String, String> out = new TreeMap<>();
        if (blueprint.isPresent()) {
            for (Blueprint.SourceFile f : blueprint.get().files()) {
                for (Blueprint.Segment s : f.segments()) {
                    if (s instanceof Blueprint.Hole h) {
                        out.put(h.region(), f.path());
                    }
                }
            }
        }
        for (String region : parent.regions().keySet()) {
            if (!out.containsKey(region)) {
                int hash = region.lastIndexOf('#');
                out.put(region, hash > 0 ? region.substring(0, hash) : region);
            }
        }
        return out;
    }

    /** The regions a block may edit: those its target names, or all when it names none known. */
    private static List<String> candidates(Optional<String> target, java.util.Set<String> regions, Map<String, String> files) {
        if (target.isPresent()) {
            String t = target.get();
            if (regions.contains(t)) {
                return List.of(t);
            }
            List<String> inFile = regions.stream().filter(r -> files.get(r).equals(t)).toList();
            if (!inFile.isEmpty()) {
                return inFile;
            }
            List<String> byBase = regions.stream().filter(r -> files.get(r).endsWith("/" + t)).toList();
            if (!byBase.isEmpty()) {
                return byBase;
            }
        }
        return List.copyOf(regions);
    }

    private record Outcome(String region, int level, String error, boolean retryable) {}

    /** Where a SEARCH text matched: lines [start, end) of {@code region}, and how. */
    private record Hit(String region, int start, int end, int level, boolean add, String prefix) {
        String describe() {
            return "region " + region + " lines " + (start + 1) + "-" + end;
        }
    }

    private static Outcome applyOne(Block b, List<String> candidates, Map<String, List<String>> state, Optional<Blueprint> blueprint,
                                    Map<String, Boolean> finalNewline) {
        List<String> search = b.searchLines();
        List<String> replace = b.replaceLines();
        if (search.stream().allMatch(String::isBlank)) {
            if (candidates.size() == 1 && state.get(candidates.get(0)).stream().allMatch(String::isBlank)) {
                String region = candidates.get(0);
                state.put(region, new ArrayList<>(replace));
                return new Outcome(region, 0, null, true);
            }
            return new Outcome(null, 0, b.where() + ": its SEARCH section is empty; copy the lines to replace from the region into it"
                    + " (only an empty region, named on the line before the block, may be filled from an empty SEARCH)", true);
        }
        Optional<String> marker = ReplyText.marker(b.search());
        if (marker.isPresent()) {
            return new Outcome(null, 0, b.where() + ": edits outside evolve regions are not allowed: its SEARCH text contains the marker "
                    + marker.get() + ", which is never inside a region; change only the lines between the markers", true);
        }
        for (int level = 0; level <= 2; level++) {
            List<Hit> hits = new ArrayList<>();
            for (String region : candidates) {
                find(region, state.get(region), search, level, hits);
            }
            if (hits.size() > 1) {
                List<String> places = hits.stream().limit(5).map(Hit::describe).toList();
                return new Outcome(null, 0, b.where() + ": its SEARCH text matches " + hits.size() + " places (" + String.join("; ", places)
                        + (hits.size() > 5 ? "; ..." : "") + "); add surrounding lines to the SEARCH (and the same lines to the REPLACE)"
                        + " so that it matches exactly one place" + (candidates.size() > 1 ? ", or name the region on the line before the block" : ""), true);
            }
            if (hits.size() == 1) {
                Hit h = hits.get(0);
                List<String> lines = state.get(h.region());
                List<String> replacement = level == 2 ? shift(search, replace, h) : replace;
                List<String> updated = new ArrayList<>(lines.size() - (h.end() - h.start()) + replacement.size());
                updated.addAll(lines.subList(0, h.start()));
                updated.addAll(replacement);
                updated.addAll(lines.subList(h.end(), lines.size()));
                state.put(h.region(), updated);
                return new Outcome(h.region(), level, null, true);
            }
        }
        if (blueprint.isPresent()) {
            Map<String, String> regions = new TreeMap<>();
            state.forEach((name, lines) -> regions.put(name, Lines.join(lines, finalNewline.get(name))));
            Map<String, String> rendered = blueprint.get().render(Code.of(regions));
            for (int level = 0; level <= 2; level++) {
                for (Map.Entry<String, String> f : rendered.entrySet()) {
                    // the model never sees the marker lines, so a SEARCH across a region's edge skips them
                    List<String> all = Lines.split(f.getValue());
                    List<String> lines = new ArrayList<>();
                    List<Integer> lineNo = new ArrayList<>();
                    for (int i = 0; i < all.size(); i++) {
                        if (ReplyText.marker(all.get(i)).isEmpty()) {
                            lines.add(all.get(i));
                            lineNo.add(i + 1);
                        }
                    }
                    List<Hit> hits = new ArrayList<>();
                    find(f.getKey(), lines, search, level, hits);
                    if (!hits.isEmpty()) {
                        Hit h = hits.get(0);
                        return new Outcome(null, 0, b.where() + ": edits outside evolve regions are not allowed: its SEARCH text matches "
                                + f.getKey() + " lines " + lineNo.get(h.start()) + "-" + lineNo.get(h.end() - 1) + ", which are not all inside one evolve region;"
                                + " change only the lines of the regions shown (between the EVOLVE-BLOCK markers)", true);
                    }
                }
            }
        }
        return new Outcome(null, 0, notFound(b, search, candidates, state), true);
    }

    /** Adds to {@code hits} every place in {@code lines} where {@code search} matches at {@code level}. */
    private static void find(String region, List<String> lines, List<String> search, int level, List<Hit> hits) {
        int n = lines.size();
        if (level < 2) {
            int k = search.size();
            for (int i = 0; i + k <= n; i++) {
                boolean ok = true;
                for (int t = 0; t < k && ok; t++) {
                    String a = lines.get(i + t);
                    String s = search.get(t);
                    ok = level == 0 ? a.equals(s) : ReplyText.rstrip(a).equals(ReplyText.rstrip(s));
                }
                if (ok) {
                    hits.add(new Hit(region, i, i + k, level, true, ""));
                }
            }
            return;
        }
        List<Integer> sIdx = nonBlank(search);
        List<Integer> rIdx = nonBlank(lines);
        int k = sIdx.size();
        String[] sContent = new String[k];
        for (int t = 0; t < k; t++) {
            sContent[t] = search.get(sIdx.get(t)).strip();
        }
        for (int j = 0; j + k <= rIdx.size(); j++) {
            if (!lines.get(rIdx.get(j)).strip().equals(sContent[0])) {
                continue;
            }
            String rIndent0 = ReplyText.indent(lines.get(rIdx.get(j)));
            String sIndent0 = ReplyText.indent(search.get(sIdx.get(0)));
            boolean add;
            String prefix;
            if (rIndent0.endsWith(sIndent0)) {
                add = true;
                prefix = rIndent0.substring(0, rIndent0.length() - sIndent0.length());
            } else if (sIndent0.endsWith(rIndent0)) {
                add = false;
                prefix = sIndent0.substring(0, sIndent0.length() - rIndent0.length());
            } else {
                continue;
            }
            boolean ok = true;
            for (int t = 0; t < k && ok; t++) {
                String r = lines.get(rIdx.get(j + t));
                String s = search.get(sIdx.get(t));
                ok = r.strip().equals(sContent[t]) && (add ? ReplyText.indent(r).equals(prefix + ReplyText.indent(s))
                        : ReplyText.indent(s).equals(prefix + ReplyText.indent(r)));
            }
            if (ok) {
                hits.add(new Hit(region, rIdx.get(j), rIdx.get(j + k - 1) + 1, 2, add, prefix));
            }
        }
    }

    private static List<Integer> nonBlank(List<String> lines) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(i);
            }
        }
        return out;
    }

    /** The REPLACE lines for a whitespace-tolerant hit: outer blank lines the SEARCH had dropped, indentation shifted. */
    private static List<String> shift(List<String> search, List<String> replace, Hit h) {
        int leadS = leadingBlank(search);
        int trailS = leadingBlank(search.reversed());
        int lead = Math.min(leadS, leadingBlank(replace));
        int trail = Math.min(trailS, leadingBlank(replace.reversed()));
        List<String> body = replace.subList(lead, Math.max(lead, replace.size() - trail));
        List<String> out = new ArrayList<>(body.size());
        for (String line : body) {
            if (line.isBlank() || h.prefix().isEmpty()) {
                out.add(line);
            } else if (h.add()) {
                out.add(h.prefix() + line);
            } else if (line.startsWith(h.prefix())) {
                out.add(line.substring(h.prefix().length()));
            } else {
                int cut = Math.min(h.prefix().length(), ReplyText.indent(line).length());
                out.add(line.substring(cut));
            }
        }
        return out;
    }

    private static int leadingBlank(List<String> lines) {
        int n = 0;
        while (n < lines.size() && lines.get(n).isBlank()) {
            n++;
        }
        return n;
    }

    /** The not-found message, quoting the region lines most like the SEARCH text. */
    private static String notFound(Block b, List<String> search, List<String> candidates, Map<String, List<String>> state) {
        List<String> scored = new ArrayList<>();
        for (String s : search) {
            if (!s.isBlank()) {
                scored.add(s);
            }
            if (scored.size() == MAX_SCORED_LINES) {
                break;
            }
        }
        int[][] sGrams = new int[scored.size()][];
        for (int t = 0; t < scored.size(); t++) {
            sGrams[t] = ReplyText.bigrams(scored.get(t));
        }
        String bestRegion = null;
        int bestStart = -1;
        int bestWidth = 0;
        double bestScore = -1;
        List<Integer> bestIdx = List.of();
        for (String region : candidates) {
            List<String> lines = state.get(region);
            List<Integer> idx = nonBlank(lines);
            if (idx.isEmpty()) {
                continue;
            }
            int[][] rGrams = new int[idx.size()][];
            for (int i = 0; i < idx.size(); i++) {
                rGrams[i] = ReplyText.bigrams(lines.get(idx.get(i)));
            }
            int w = Math.min(scored.size(), idx.size());
            for (int start = 0; start + w <= idx.size(); start++) {
                double score = 0;
                for (int t = 0; t < w; t++) {
                    score += ReplyText.similarity(sGrams[t], rGrams[start + t]);
                }
                if (score > bestScore) {
                    bestScore = score;
                    bestRegion = region;
                    bestStart = start;
                    bestWidth = w;
                    bestIdx = idx;
                }
            }
        }
        String scope = candidates.size() == 1 ? "region " + candidates.get(0) : "any of the regions " + String.join(", ", candidates);
        StringBuilder out = new StringBuilder(b.where()).append(": its SEARCH text was not found in ").append(scope).append('.');
        if (bestRegion == null || bestScore <= 0) {
            return out.append(" Copy the lines to replace exactly, with their indentation, from the regions shown.").toString();
        }
        List<String> lines = state.get(bestRegion);
        int from = bestIdx.get(bestStart);
        int to = bestIdx.get(bestStart + bestWidth - 1) + 1;
        int quotedTo = Math.min(to, from + MAX_QUOTED_LINES);
        out.append(" The closest lines are region ").append(bestRegion).append(" lines ").append(from + 1).append('-').append(to).append(":\n");
        out.append("```\n");
        for (int i = from; i < quotedTo; i++) {
            out.append(ReplyText.clip(lines.get(i), 300)).append('\n');
        }
        if (quotedTo < to) {
            out.append("... (").append(to - quotedTo).append(" more lines)\n");
        }
        out.append("```\n");
        for (int t = 0; t < bestWidth; t++) {
            String s = scored.get(t);
            String r = lines.get(bestIdx.get(bestStart + t));
            if (!s.equals(r)) {
                out.append("The first SEARCH line that differs is \"").append(ReplyText.clip(s, 200)).append("\"; the region has \"")
                        .append(ReplyText.clip(r, 200)).append("\" at line ").append(bestIdx.get(bestStart + t) + 1).append(".\n");
                break;
            }
        }
        return out.append("Copy the lines to replace exactly, with their indentation, into the SEARCH section.").toString();
    }
}
