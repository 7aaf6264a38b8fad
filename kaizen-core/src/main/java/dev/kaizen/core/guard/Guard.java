package dev.kaizen.core.guard;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.RegionReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a proposal before anything in it runs. A proposed child passes when
 * <ul>
 *   <li>it has exactly the target's regions, none added and none dropped;</li>
 *   <li>no region exceeds its size limit ({@link GuardPolicy#regionLimit});</li>
 *   <li>no region holds an {@code EVOLVE-BLOCK} marker (which would move code out of its region
 *       when the file is read again);</li>
 *   <li>every method-body region is a self-contained body ({@link JavaBodies}): it cannot close
 *       its method and add code outside it;</li>
 *   <li>every file, rendered with the child's regions and read back with the blueprint's
 *       {@link RegionReader}, has the same fixed text and the same regions with the same texts
 *       (files whose regions the marker reader cannot read, method selections, are checked by the
 *       rule above only);</li>
 *   <li>it changes at most {@link GuardPolicy#maxChangedLines} lines against its parent.</li>
 * </ul>
 * Refusals name what was refused, e.g. {@code region src/Foo.java#2 contains the marker
 * EVOLVE-BLOCK-END}. Immutable and thread-safe.
 */
public final class Guard {

    private final Blueprint blueprint;
    private final Code seed;
    private final GuardPolicy policy;

    /** What the guard decided, and the patch from parent to child when the regions allowed one. */
    public record Verdict(Optional<String> refusal, Patch patch) {
        public Verdict {
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(patch, "patch");
        }

        public boolean passed() {
            return refusal.isEmpty();
        }
    }

    public Guard(Blueprint blueprint, GuardPolicy policy) {
        this.blueprint = Objects.requireNonNull(blueprint, "blueprint");
        this.seed = blueprint.seed();
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public GuardPolicy policy() {
        return policy;
    }

    /** Checks {@code child}, proposed from {@code parent}; see the class comment. */
    public Verdict check(Code parent, Code child) {
        Optional<String> regions = regions(child);
        if (regions.isPresent()) {
            return new Verdict(regions, Patch.empty());
        }
        Optional<String> sizes = sizes(child);
        if (sizes.isPresent()) {
            return new Verdict(sizes, Patch.empty());
        }
        Optional<String> shape = markers(child).or(() -> bodies(child)).or(() -> readBack(child));
        Patch patch = parent.regions().keySet().equals(child.regions().keySet()) ? Patch.between(parent, child) : Patch.empty();
        if (shape.isPresent()) {
            return new Verdict(shape, patch);
        }
        int changed = patch.changedLines();
        if (changed > policy.maxChangedLines()) {
            return new Verdict(Optional.of("the proposal changes " + changed + " lines, over the limit of " + policy.maxChangedLines()
                    + " (guard.max_changed_lines)"), patch);
        }
        return new Verdict(Optional.empty(), patch);
    }

    private Optional<String> regions(Code child) {
        Set<String> expected = seed.regions().keySet();
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(child.regions().keySet());
        Set<String> extra = new TreeSet<>(child.regions().keySet());
        extra.removeAll(expected);
        if (!missing.isEmpty()) {
            return Optional.of("the proposal drops region" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + (extra.isEmpty() ? "" : " and adds " + String.join(", ", extra)) + " (the target's regions: " + String.join(", ", expected) + ")");
        }
        if (!extra.isEmpty()) {
            return Optional.of("the proposal adds region" + (extra.size() > 1 ? "s " : " ") + String.join(", ", extra)
                    + ", which the target does not have (its regions: " + String.join(", ", expected) + ")");
        }
        return Optional.empty();
    }

    private Optional<String> sizes(Code child) {
        for (Map.Entry<String, String> e : child.regions().entrySet()) {
            int seedLength = seed.region(e.getKey()).length();
            long limit = policy.regionLimit(seedLength);
            if (e.getValue().length() > limit) {
                String why = policy.maxRegionChars().isPresent() ? "guard.max_region_chars"
                        : GuardPolicy.RELATIVE_FACTOR + " x its seed's " + seedLength + " + " + GuardPolicy.RELATIVE_SLACK;
                return Optional.of("region " + e.getKey() + " has " + e.getValue().length() + " characters, over the limit of " + limit + " (" + why + ")");
            }
        }
        return Optional.empty();
    }

    private Optional<String> markers(Code child) {
        for (Map.Entry<String, String> e : child.regions().entrySet()) {
            String seedText = seed.region(e.getKey());
            for (String marker : List.of(Blueprint.START, Blueprint.END)) {
                if (e.getValue().contains(marker) && !seedText.contains(marker)) {
                    return Optional.of("region " + e.getKey() + " contains the marker " + marker);
                }
            }
        }
        for (Blueprint.SourceFile f : blueprint.files()) {
            for (Blueprint.Segment s : f.segments()) {
                if (s instanceof Blueprint.Hole h && isMarkerBlock(f.path(), h.region())) {
                    String text = child.region(h.region());
                    if (!text.isEmpty() && !text.endsWith("\n")) {
                        return Optional.of("region " + h.region() + " does not end with a line break, so its last line would join the "
                                + Blueprint.END + " marker line");
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isMarkerBlock(String path, String region) {
        return region.startsWith(path + "#") && !Blueprint.isMethodRegion(path, region);
    }

    private Optional<String> bodies(Code child) {
        for (Blueprint.SourceFile f : blueprint.files()) {
            for (Blueprint.Segment s : f.segments()) {
                if (s instanceof Blueprint.Hole h && Blueprint.isMethodRegion(f.path(), h.region())) {
                    String text = child.region(h.region());
                    if (text.equals(h.seed())) {
                        continue;
                    }
                    Optional<JavaBodies.Problem> problem = JavaBodies.check(text);
                    if (problem.isPresent()) {
                        JavaBodies.Problem p = problem.get();
                        return Optional.of("region " + h.region() + (p.closesBody() ? " closes its method body (" : " is not a self-contained method body (")
                                + p.detail() + ")");
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> readBack(Code child) {
        Map<String, String> rendered = blueprint.render(child);
        for (Blueprint.SourceFile f : blueprint.files()) {
            if (blueprint.reader() == RegionReader.MARKERS && hasMethodRegion(f)) {
                continue;
            }
            Blueprint.SourceFile again;
            try {
                again = blueprint.reader().read(f.path(), rendered.get(f.path()));
            } catch (RuntimeException e) {
                return Optional.of("file " + f.path() + " no longer reads as its regions: " + e.getMessage());
            }
            Optional<String> difference = difference(f, again, child);
            if (difference.isPresent()) {
                return Optional.of("file " + f.path() + " does not read back as the same regions: " + difference.get());
            }
        }
        return Optional.empty();
    }

    private static boolean hasMethodRegion(Blueprint.SourceFile f) {
        return f.segments().stream().anyMatch(s -> s instanceof Blueprint.Hole h && Blueprint.isMethodRegion(f.path(), h.region()));
    }

    /** How {@code again} differs from {@code original} filled with {@code child}'s regions, or empty. */
    private static Optional<String> difference(Blueprint.SourceFile original, Blueprint.SourceFile again, Code child) {
        List<String> names = holes(original);
        List<String> namesAgain = holes(again);
        if (!names.equals(namesAgain)) {
            return Optional.of("its regions would be " + namesAgain + " instead of " + names);
        }
        List<String> fixed = fixed(original);
        List<String> fixedAgain = fixed(again);
        if (!fixed.equals(fixedAgain)) {
            return Optional.of("its fixed (non-evolvable) text would change" + firstDifference(String.join("", fixed), String.join("", fixedAgain)));
        }
        for (Blueprint.Segment s : again.segments()) {
            if (s instanceof Blueprint.Hole h && !h.seed().equals(child.region(h.region()))) {
                return Optional.of("region " + h.region() + " would read back with other text" + firstDifference(child.region(h.region()), h.seed()));
            }
        }
        return Optional.empty();
    }

    private static List<String> holes(Blueprint.SourceFile f) {
        List<String> out = new ArrayList<>();
        f.segments().forEach(s -> {
            if (s instanceof Blueprint.Hole h) {
                out.add(h.region());
            }
        });
        return out;
    }

    /** The fixed texts between holes, with empty pieces where two holes or a hole and an end meet. */
    private static List<String> fixed(Blueprint.SourceFile f) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (Blueprint.Segment s : f.segments()) {
            switch (s) {
                case Blueprint.Fixed fx -> current.append(fx.text());
                case Blueprint.Hole h -> {
                    out.add(current.toString());
                    current.setLength(0);
                }
            }
        }
        out.add(current.toString());
        return out;
    }

    private static String firstDifference(String expected, String actual) {
        int line = 1;
        int n = Math.min(expected.length(), actual.length());
        for (int i = 0; i < n; i++) {
            if (expected.charAt(i) != actual.charAt(i)) {
                return " (from line " + line + ")";
            }
            if (expected.charAt(i) == '\n') {
                line++;
            }
        }
        return " (from line " + line + ")";
    }
}
