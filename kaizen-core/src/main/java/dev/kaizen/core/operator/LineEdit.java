package dev.kaizen.core.operator;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Lines;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Language-agnostic edits on the lines of an evolve region: delete, duplicate, swap, move, or
 * replace a line with one from elsewhere in the target. A line moved or copied takes the
 * indentation of the place it lands in, so indentation-sensitive languages stay well-formed more
 * often. Blank lines are never chosen as the line to edit.
 */
public final class LineEdit implements Operator {

    /** The kinds of line edit. */
    public enum Kind {
        DELETE("line.delete"),
        DUPLICATE("line.duplicate"),
        SWAP("line.swap"),
        MOVE("line.move"),
        REPLACE("line.replace");

        private final String operatorName;

        Kind(String operatorName) {
            this.operatorName = operatorName;
        }

        public String operatorName() {
            return operatorName;
        }
    }

    private final Kind kind;

    private LineEdit(Kind kind) {
        this.kind = kind;
    }

    public static LineEdit of(Kind kind) {
        return new LineEdit(kind);
    }

    /** One operator per kind. */
    public static List<Operator> all() {
        List<Operator> ops = new ArrayList<>();
        for (Kind k : Kind.values()) {
            ops.add(of(k));
        }
        return ops;
    }

    @Override
    public String name() {
        return kind.operatorName();
    }

    @Override
    public Optional<Proposal> propose(ProposalContext context) {
        Code code = context.parent().code();
        RandomGenerator random = context.random();
        String region = pickRegion(code, random);
        List<String> lines = new ArrayList<>(code.lines(region));
        List<Integer> content = nonBlank(lines);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        int a = content.get(random.nextInt(content.size()));
        String desc;
        switch (kind) {
            case DELETE -> {
                if (content.size() < 2) {
                    return Optional.empty();
                }
                desc = "delete line " + (a + 1) + " of " + region + ": " + lines.get(a).strip();
                lines.remove(a);
            }
            case DUPLICATE -> {
                int to = random.nextInt(lines.size() + 1);
                String copy = reindent(lines.get(a), indentAt(lines, to));
                desc = "copy line " + (a + 1) + " of " + region + " to line " + (to + 1) + ": " + copy.strip();
                lines.add(to, copy);
            }
            case SWAP -> {
                if (content.size() < 2) {
                    return Optional.empty();
                }
                int b = content.get(random.nextInt(content.size()));
                if (a == b || lines.get(a).equals(lines.get(b))) {
                    return Optional.empty();
                }
                String la = lines.get(a);
                String lb = lines.get(b);
                lines.set(a, reindent(lb, indentOf(la)));
                lines.set(b, reindent(la, indentOf(lb)));
                desc = "swap lines " + (Math.min(a, b) + 1) + " and " + (Math.max(a, b) + 1) + " of " + region;
            }
            case MOVE -> {
                if (lines.size() < 2) {
                    return Optional.empty();
                }
                String line = lines.remove(a);
                int to = random.nextInt(lines.size() + 1);
                if (to == a) {
                    return Optional.empty();
                }
                lines.add(to, reindent(line, indentAt(lines, to)));
                desc = "move line " + (a + 1) + " of " + region + " to line " + (to + 1) + ": " + line.strip();
            }
            case REPLACE -> {
                List<String> pool = ingredients(context, region, a);
                if (pool.isEmpty()) {
                    return Optional.empty();
                }
                String with = pool.get(random.nextInt(pool.size()));
                String replacement = reindent(with, indentOf(lines.get(a)));
                if (replacement.equals(lines.get(a))) {
                    return Optional.empty();
                }
                desc = "replace line " + (a + 1) + " of " + region + " with: " + with.strip();
                lines.set(a, replacement);
            }
            default -> throw new IllegalStateException("unknown kind " + kind);
        }
        Code child = code.withLines(region, lines);
        return child.equals(code) ? Optional.empty() : Optional.of(new Proposal(child, desc));
    }

    /** Non-blank lines from the parent's other regions, the inspirations and the target's fixed text. */
    private static List<String> ingredients(ProposalContext context, String region, int exclude) {
        List<String> pool = new ArrayList<>();
        Code code = context.parent().code();
        for (String r : code.regions().keySet()) {
            List<String> ls = code.lines(r);
            for (int i = 0; i < ls.size(); i++) {
                if (!(r.equals(region) && i == exclude) && !ls.get(i).isBlank()) {
                    pool.add(ls.get(i));
                }
            }
        }
        for (Candidate c : context.inspirations()) {
            for (String text : c.code().regions().values()) {
                Lines.split(text).stream().filter(l -> !l.isBlank()).forEach(pool::add);
            }
        }
        context.target().blueprint().fixedLines().stream()
                .filter(l -> !l.isBlank() && !l.contains("EVOLVE-BLOCK"))
                .forEach(pool::add);
        return pool;
    }

    static String pickRegion(Code code, RandomGenerator random) {
        List<String> names = new ArrayList<>(code.regions().keySet());
        if (names.size() == 1) {
            return names.get(0);
        }
        int total = 0;
        int[] weights = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            weights[i] = Math.max(1, code.lines(names.get(i)).size());
            total += weights[i];
        }
        int x = random.nextInt(total);
        for (int i = 0; i < names.size(); i++) {
            x -= weights[i];
            if (x < 0) {
                return names.get(i);
            }
        }
        return names.get(names.size() - 1);
    }

    private static List<Integer> nonBlank(List<String> lines) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                idx.add(i);
            }
        }
        return idx;
    }

    static String indentOf(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return line.substring(0, i);
    }

    /** The indentation a line inserted at {@code index} should have: that of the line it pushes down, else the one above. */
    private static String indentAt(List<String> lines, int index) {
        for (int i = index; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return indentOf(lines.get(i));
            }
        }
        for (int i = Math.min(index, lines.size()) - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return indentOf(lines.get(i));
            }
        }
        return "";
    }

    private static String reindent(String line, String indent) {
        return indent + line.stripLeading();
    }
}
