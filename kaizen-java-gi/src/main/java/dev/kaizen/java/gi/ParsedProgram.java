package dev.kaizen.java.gi;

import com.github.javaparser.JavaToken;
import com.github.javaparser.Range;
import com.github.javaparser.TokenRange;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.comments.Comment;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Blueprint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A parent program as the Java operators see it: every evolvable {@code .java} file rendered with the
 * parent's regions and parsed, the holes' character ranges in the rendered text, and the nodes whose
 * whole source range lies inside one hole (the editable ones). Built once per parent and cached; the
 * trees are never modified (edits are text splices), so sharing them between operators is safe.
 */
final class ParsedProgram {

    /** A hole of a Java file: the region that fills it and its character range in the rendered file. */
    record Hole(String region, int start, int end) {
        boolean contains(int from, int to) {
            return start <= from && to <= end;
        }
    }

    /** One rendered, parsed Java file. */
    record JavaFile(String path, String name, String text, CompilationUnit unit, LineMap lines, List<Hole> holes) {
        Hole holeAt(int from, int to) {
            for (Hole h : holes) {
                if (h.contains(from, to)) {
                    return h;
                }
            }
            return null;
        }
    }

    /** Where a node lies: its file, its character range, and the hole around it ({@code null} in fixed text). */
    record Span(JavaFile file, int start, int end, Hole hole) {
        String text() {
            return file.text().substring(start, end);
        }

        boolean editable() {
            return hole != null;
        }

        /** The 1-based line of the node's first character in the rendered file. */
        int line() {
            return file.lines().line(start);
        }

        /** {@code File.java:42}. */
        String where() {
            return file.name() + ":" + line();
        }
    }

    private static final Span NONE = new Span(null, -1, -1, null);

    private final Blueprint blueprint;
    private final Code code;
    private final JavaSource source;
    private final List<JavaFile> files;
    private final IdentityHashMap<CompilationUnit, JavaFile> byUnit = new IdentityHashMap<>();
    private final IdentityHashMap<Node, Span> spans = new IdentityHashMap<>();
    private final List<Node> editable = new ArrayList<>();
    private final LocalTypes types;
    private final Map<String, Object> memo = new HashMap<>();
    private ParsedProgram original;

    private ParsedProgram(Blueprint blueprint, Code code, JavaSource source, List<JavaFile> files) {
        this.blueprint = blueprint;
        this.code = code;
        this.source = source;
        this.files = List.copyOf(files);
        for (JavaFile f : files) {
            byUnit.put(f.unit(), f);
        }
        for (JavaFile f : files) {
            f.unit().walk(node -> {
                if (!(node instanceof Comment) && span(node).map(Span::editable).orElse(false)) {
                    editable.add(node);
                }
            });
        }
        this.types = new LocalTypes();
    }

    /**
     * Renders and parses the Java files of {@code blueprint} filled from {@code code}; files that do
     * not parse, or whose regions the code lacks, are left out.
     */
    static ParsedProgram of(Blueprint blueprint, Code code, JavaSource source) {
        List<JavaFile> files = new ArrayList<>();
        for (Blueprint.SourceFile f : blueprint.files()) {
            if (!isJava(f.path())) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            List<Hole> holes = new ArrayList<>();
            boolean complete = true;
            for (Blueprint.Segment s : f.segments()) {
                switch (s) {
                    case Blueprint.Fixed fx -> text.append(fx.text());
                    case Blueprint.Hole h -> {
                        String region = code.regions().get(h.region());
                        if (region == null) {
                            complete = false;
                        } else {
                            int start = text.length();
                            text.append(region);
                            holes.add(new Hole(h.region(), start, text.length()));
                        }
                    }
                }
            }
            if (!complete || holes.isEmpty()) {
                continue;
            }
            String rendered = text.toString();
            Optional<CompilationUnit> unit = source.parse(rendered);
            if (unit.isPresent()) {
                String path = f.path();
                String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
                files.add(new JavaFile(path, name, rendered, unit.get(), LineMap.of(rendered), List.copyOf(holes)));
            }
        }
        return new ParsedProgram(blueprint, code, source, files);
    }

    static boolean isJava(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith(".java");
    }

    Blueprint blueprint() {
        return blueprint;
    }

    /** The target's unmodified program (this one when it is), a second source of ingredients. */
    synchronized ParsedProgram original() {
        return original == null ? this : original;
    }

    synchronized void original(ParsedProgram seed) {
        this.original = seed;
    }

    Code code() {
        return code;
    }

    List<JavaFile> files() {
        return files;
    }

    LocalTypes types() {
        return types;
    }

    /** The editable nodes of all files, in document order. */
    List<Node> editable() {
        return editable;
    }

    /** The editable nodes of one class, in document order. */
    <T extends Node> List<T> editable(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Node n : editable) {
            if (type.isInstance(n)) {
                out.add(type.cast(n));
            }
        }
        return out;
    }

    /**
     * Where a node lies in its rendered file, or empty when it has no position or its computed range
     * does not start and end with its first and last tokens (a guard against any position drift).
     */
    synchronized Optional<Span> span(Node node) {
        Span s = spans.get(node);
        if (s == null) {
            s = computeSpan(node);
            spans.put(node, s);
        }
        return s == NONE ? Optional.empty() : Optional.of(s);
    }

    /** The span of a node known to be editable (a site or a node inside one). */
    Span spanOf(Node node) {
        return span(node).orElseThrow(() -> new IllegalStateException("node has no source range: " + node));
    }

    /** Whether a node is inside a hole. */
    boolean isEditable(Node node) {
        return span(node).map(Span::editable).orElse(false);
    }

    private Span computeSpan(Node node) {
        Optional<Range> range = node.getRange();
        Optional<CompilationUnit> unit = node.findCompilationUnit();
        if (range.isEmpty() || unit.isEmpty()) {
            return NONE;
        }
        JavaFile file = byUnit.get(unit.get());
        if (file == null) {
            return NONE;
        }
        int start = file.lines().offset(range.get().begin);
        int end = file.lines().offset(range.get().end) + 1;
        if (start < 0 || end <= start || end > file.text().length()) {
            return NONE;
        }
        Optional<TokenRange> tokens = node.getTokenRange();
        if (tokens.isPresent()) {
            JavaToken first = tokens.get().getBegin();
            JavaToken last = tokens.get().getEnd();
            if (!file.text().startsWith(first.getText(), start)
                    || !file.text().startsWith(last.getText(), end - last.getText().length())) {
                return NONE;
            }
        }
        return new Span(file, start, end, file.holeAt(start, end));
    }

    /** A value computed once per program (site lists, ingredient indexes). */
    @SuppressWarnings("unchecked")
    synchronized <T> T memo(String key, Supplier<T> compute) {
        Object v = memo.get(key);
        if (v == null) {
            v = compute.get();
            memo.put(key, v);
        }
        return (T) v;
    }

    /**
     * The child code a splice makes, or empty when it changes nothing, writes an evolve marker, or
     * leaves the file unparseable. Only the splice's region changes.
     */
    Optional<Code> apply(Splice splice) {
        Hole hole = splice.hole();
        String region = code.region(hole.region());
        List<Splice.Edit> edits = new ArrayList<>(splice.edits());
        edits.sort((a, b) -> Integer.compare(b.start(), a.start()));
        StringBuilder text = new StringBuilder(region);
        int limit = Integer.MAX_VALUE;
        for (Splice.Edit e : edits) {
            if (!hole.contains(e.start(), e.end()) || e.end() > limit) {
                return Optional.empty();
            }
            if (e.text().contains(Blueprint.START) || e.text().contains(Blueprint.END)) {
                return Optional.empty();
            }
            text.replace(e.start() - hole.start(), e.end() - hole.start(), e.text());
            limit = e.start();
        }
        String newRegion = text.toString();
        if (newRegion.equals(region)) {
            return Optional.empty();
        }
        String file = splice.file().text();
        String newFile = file.substring(0, hole.start()) + newRegion + file.substring(hole.end());
        if (!source.parses(newFile)) {
            return Optional.empty();
        }
        return Optional.of(code.withRegion(hole.region(), newRegion));
    }
}
