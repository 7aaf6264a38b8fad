package dev.kaizen.core.program;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A readable, replayable change from one {@link Code} to another: a unified diff per changed region.
 * {@code Patch.between(a, b).applyTo(a)} equals {@code b}; applying to any other parent fails loudly
 * rather than guessing.
 */
public record Patch(String text) {

    private static final int CONTEXT = 2;
    private static final long MAX_LCS_CELLS = 4_000_000L;

    public Patch {
        Objects.requireNonNull(text, "text");
    }

    /** The empty patch. */
    public static Patch empty() {
        return new Patch("");
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    /** The number of added plus removed lines. */
    public int changedLines() {
        int n = 0;
        for (String line : Lines.split(text)) {
            if ((line.startsWith("+") && !line.startsWith("+++")) || (line.startsWith("-") && !line.startsWith("---"))) {
                n++;
            }
        }
        return n;
    }

    /** The patch that turns {@code from} into {@code to}; both must have the same regions. */
    public static Patch between(Code from, Code to) {
        if (!from.regions().keySet().equals(to.regions().keySet())) {
            throw new IllegalArgumentException("codes have different regions: " + from.regions().keySet() + " vs " + to.regions().keySet());
        }
        StringBuilder out = new StringBuilder();
        for (String region : from.regions().keySet()) {
            String a = from.region(region);
            String b = to.region(region);
            if (a.equals(b)) {
                continue;
            }
            out.append("--- a/").append(region).append('\n');
            out.append("+++ b/").append(region).append('\n');
            boolean nlA = a.endsWith("\n");
            boolean nlB = b.endsWith("\n");
            if (nlA != nlB) {
                out.append("\\ final newline: ").append(nlB).append('\n');
            }
            for (Hunk h : hunks(Lines.split(a), Lines.split(b))) {
                h.appendTo(out);
            }
        }
        return new Patch(out.toString());
    }

    /** Replays this patch on {@code parent}; fails with the region and line when it does not fit. */
    public Code applyTo(Code parent) {
        if (isEmpty()) {
            return parent;
        }
        Map<String, String> result = new TreeMap<>(parent.regions());
        List<String> lines = Lines.split(text);
        int i = 0;
        while (i < lines.size()) {
            String header = lines.get(i);
            if (!header.startsWith("--- a/") || i + 1 >= lines.size() || !lines.get(i + 1).startsWith("+++ b/")) {
                throw new PatchException("line " + (i + 1) + ": expected '--- a/REGION' and '+++ b/REGION', got: " + header);
            }
            String region = header.substring(6);
            if (!result.containsKey(region)) {
                throw new PatchException("line " + (i + 1) + ": the parent has no region '" + region + "'");
            }
            i += 2;
            String original = result.get(region);
            boolean finalNewline = original.endsWith("\n");
            if (i < lines.size() && lines.get(i).startsWith("\\ final newline: ")) {
                finalNewline = Boolean.parseBoolean(lines.get(i).substring(17).trim());
                i++;
            }
            List<String> source = Lines.split(original);
            List<String> target = new ArrayList<>();
            int consumed = 0;
            while (i < lines.size() && lines.get(i).startsWith("@@ ")) {
                int[] range = parseRange(lines.get(i), i + 1);
                int oldStart = range[0];
                int oldCount = range[1];
                int newCount = range[2];
                int begin = oldCount == 0 ? oldStart : oldStart - 1;
                if (begin < consumed || begin > source.size()) {
                    throw new PatchException("line " + (i + 1) + ": hunk starts at line " + oldStart + " of region '" + region + "', which has " + source.size() + " lines");
                }
                target.addAll(source.subList(consumed, begin));
                consumed = begin;
                i++;
                int seenOld = 0;
                int seenNew = 0;
                while (seenOld < oldCount || seenNew < newCount) {
                    if (i >= lines.size()) {
                        throw new PatchException("line " + i + ": hunk for region '" + region + "' ends early");
                    }
                    String l = lines.get(i);
                    char kind = l.isEmpty() ? ' ' : l.charAt(0);
                    String body = l.isEmpty() ? "" : l.substring(1);
                    switch (kind) {
                        case ' ', '-' -> {
                            if (consumed >= source.size() || !source.get(consumed).equals(body)) {
                                throw new PatchException("line " + (i + 1) + ": region '" + region + "' line " + (consumed + 1) + " does not match the patch: expected '" + body + "'");
                            }
                            if (kind == ' ') {
                                target.add(body);
                                seenNew++;
                            }
                            seenOld++;
                            consumed++;
                        }
                        case '+' -> {
                            target.add(body);
                            seenNew++;
                        }
                        default -> throw new PatchException("line " + (i + 1) + ": unexpected line in hunk: " + l);
                    }
                    i++;
                }
            }
            target.addAll(source.subList(consumed, source.size()));
            result.put(region, Lines.join(target, finalNewline));
        }
        return Code.of(result);
    }

    private static int[] parseRange(String header, int lineNo) {
        // @@ -start,count +start,count @@
        try {
            String[] parts = header.split(" ");
            String[] old = parts[1].substring(1).split(",");
            String[] neu = parts[2].substring(1).split(",");
            return new int[] {Integer.parseInt(old[0]), old.length > 1 ? Integer.parseInt(old[1]) : 1,
                    neu.length > 1 ? Integer.parseInt(neu[1]) : 1};
        } catch (RuntimeException e) {
            throw new PatchException("line " + lineNo + ": malformed hunk header: " + header);
        }
    }

    private record Hunk(int oldStart, int oldCount, int newStart, int newCount, List<String> body) {
        void appendTo(StringBuilder out) {
            out.append("@@ -").append(oldCount == 0 ? oldStart : oldStart + 1).append(',').append(oldCount)
                    .append(" +").append(newCount == 0 ? newStart : newStart + 1).append(',').append(newCount).append(" @@\n");
            body.forEach(l -> out.append(l).append('\n'));
        }
    }

    /** Line operations: ' ' keep, '-' delete, '+' insert, each with its line. */
    private record Op(char kind, String line, int oldIndex, int newIndex) {}

    private static List<Hunk> hunks(List<String> a, List<String> b) {
        List<Op> ops = diff(a, b);
        List<Hunk> hunks = new ArrayList<>();
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).kind() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // extend while changes are within 2*CONTEXT keeps of each other
            while (true) {
                while (end < ops.size() && ops.get(end).kind() != ' ') {
                    end++;
                }
                int keeps = 0;
                int j = end;
                while (j < ops.size() && ops.get(j).kind() == ' ' && keeps <= 2 * CONTEXT) {
                    j++;
                    keeps++;
                }
                if (j < ops.size() && ops.get(j).kind() != ' ' && keeps <= 2 * CONTEXT) {
                    end = j;
                } else {
                    end = Math.min(ops.size(), end + CONTEXT);
                    break;
                }
            }
            List<String> body = new ArrayList<>();
            int oldCount = 0;
            int newCount = 0;
            int oldStart = -1;
            int newStart = -1;
            for (int k = start; k < end; k++) {
                Op op = ops.get(k);
                body.add(op.kind() + op.line());
                if (op.kind() != '+') {
                    oldCount++;
                }
                if (op.kind() != '-') {
                    newCount++;
                }
            }
            // first old/new positions covered by the hunk
            oldStart = positionOld(ops, start);
            newStart = positionNew(ops, start);
            hunks.add(new Hunk(oldStart, oldCount, newStart, newCount, body));
            i = end;
        }
        return hunks;
    }

    private static int positionOld(List<Op> ops, int index) {
        int pos = 0;
        for (int k = 0; k < index; k++) {
            if (ops.get(k).kind() != '+') {
                pos++;
            }
        }
        return pos;
    }

    private static int positionNew(List<Op> ops, int index) {
        int pos = 0;
        for (int k = 0; k < index; k++) {
            if (ops.get(k).kind() != '-') {
                pos++;
            }
        }
        return pos;
    }

    private static List<Op> diff(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < prefix; k++) {
            ops.add(new Op(' ', a.get(k), k, k));
        }
        List<String> ma = a.subList(prefix, a.size() - suffix);
        List<String> mb = b.subList(prefix, b.size() - suffix);
        if ((long) ma.size() * mb.size() > MAX_LCS_CELLS) {
            ma.forEach(l -> ops.add(new Op('-', l, -1, -1)));
            mb.forEach(l -> ops.add(new Op('+', l, -1, -1)));
        } else {
            int n = ma.size();
            int m = mb.size();
            int[][] lcs = new int[n + 1][m + 1];
            for (int x = n - 1; x >= 0; x--) {
                for (int y = m - 1; y >= 0; y--) {
                    lcs[x][y] = ma.get(x).equals(mb.get(y)) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
                }
            }
            int x = 0;
            int y = 0;
            while (x < n || y < m) {
                if (x < n && y < m && ma.get(x).equals(mb.get(y))) {
                    ops.add(new Op(' ', ma.get(x), x, y));
                    x++;
                    y++;
                } else if (x < n && (y == m || lcs[x + 1][y] >= lcs[x][y + 1])) {
                    ops.add(new Op('-', ma.get(x), x, -1));
                    x++;
                } else {
                    ops.add(new Op('+', mb.get(y), -1, y));
                    y++;
                }
            }
        }
        for (int k = a.size() - suffix; k < a.size(); k++) {
            ops.add(new Op(' ', a.get(k), k, k));
        }
        return ops;
    }

    /** A patch that does not fit the code it is applied to, or is not a patch at all. */
    public static final class PatchException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public PatchException(String message) {
            super(message);
        }
    }
}
