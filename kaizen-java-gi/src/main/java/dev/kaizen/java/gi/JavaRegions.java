package dev.kaizen.java.gi;

import com.github.javaparser.ParseResult;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.stmt.BlockStmt;
import dev.kaizen.core.target.Blueprint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evolve regions chosen by method name instead of {@code EVOLVE-BLOCK} markers.
 *
 * <p>A named method's region is its <em>body</em>, not its whole declaration: the signature,
 * modifiers, annotations and Javadoc stay fixed, so callers and tests always compile against the
 * same API and an edit can never rename or re-type the method. When the opening brace ends its line
 * and the closing brace starts its own, the region is the whole lines between them (ending with a
 * line break), exactly like a region between marker lines, so line-based operators and diffs see
 * ordinary lines; otherwise (a one-line method) it is the text between the braces.
 *
 * <p>Region names follow {@link Blueprint#parse}'s {@code path#N} scheme with the method in place
 * of the block number: {@code path#name}, or {@code path#name(int[],int)} when the method was
 * selected by signature (the selector as given, whitespace removed). A method name cannot start
 * with a digit, so these never collide with marker regions.
 */
public final class JavaRegions {

    private static final Pattern SELECTOR = Pattern.compile("\\s*([\\p{L}_$][\\p{L}\\p{N}_$]*)\\s*(?:\\((.*)\\))?\\s*");

    private JavaRegions() {}

    /**
     * The file {@code text} (at {@code path}) with the bodies of the named methods as its holes.
     * A name may carry parameter types to pick one overload: {@code sort(int[])},
     * {@code merge(int[], int, int)}; types match as written, or without generic arguments and
     * package qualifiers, and {@code T...} matches {@code T[]}. Methods without a body (abstract or
     * interface methods of the same name) are passed over when one with a body matches.
     *
     * @throws IllegalArgumentException naming the file and method when the file does not parse, a
     *     method is missing, a name is overloaded and no signature picks one, a method has no body
     *     (abstract or interface), or two selections are the same method or nest
     */
    public static Blueprint.SourceFile methods(String path, String text, List<String> methodNames) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
        if (methodNames.isEmpty()) {
            throw new IllegalArgumentException(path + ": no method names given");
        }
        ParseResult<CompilationUnit> parsed = new JavaSource().parseResult(text);
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            String problem = parsed.getProblems().isEmpty() ? "unknown error" : parsed.getProblems().get(0).getVerboseMessage();
            throw new IllegalArgumentException(path + ": not parseable as Java 21, so methods cannot be selected: " + problem);
        }
        CompilationUnit unit = parsed.getResult().get();
        LineMap lines = LineMap.of(text);
        List<MethodDeclaration> all = unit.findAll(MethodDeclaration.class);
        record Selected(String region, String selector, int start, int end) {}
        List<Selected> selected = new ArrayList<>();
        Map<MethodDeclaration, String> chosen = new IdentityHashMap<>();
        for (String selector : methodNames) {
            Matcher m = SELECTOR.matcher(Objects.requireNonNull(selector, "method name"));
            if (!m.matches()) {
                throw new IllegalArgumentException(path + ": '" + selector + "' is not a method name or name(ParamType, ...)");
            }
            String name = m.group(1);
            List<MethodDeclaration> named = all.stream().filter(d -> d.getNameAsString().equals(name)).toList();
            if (named.isEmpty()) {
                Set<String> declared = new LinkedHashSet<>();
                all.forEach(d -> declared.add(d.getNameAsString()));
                throw new IllegalArgumentException(path + ": no method named '" + name + "' (declared: "
                        + (declared.isEmpty() ? "none" : String.join(", ", declared)) + ")");
            }
            List<MethodDeclaration> matches = named;
            if (m.group(2) != null) {
                List<String> wanted = splitParams(m.group(2));
                matches = named.stream().filter(d -> matchesParams(d, wanted)).toList();
                if (matches.isEmpty()) {
                    throw new IllegalArgumentException(path + ": no method " + name + "(" + String.join(",", wanted) + "); declared: "
                            + String.join(", ", named.stream().map(JavaRegions::signature).toList()));
                }
            }
            List<MethodDeclaration> bodied = matches.stream().filter(d -> d.getBody().isPresent()).toList();
            if (bodied.isEmpty()) {
                throw new IllegalArgumentException(path + ": method '" + signature(matches.get(0))
                        + "' has no body (it is abstract or an interface method), so it cannot evolve");
            }
            matches = bodied;
            if (matches.size() > 1) {
                throw new IllegalArgumentException(path + ": method '" + selector.strip() + "' is ambiguous, it matches "
                        + String.join(", ", matches.stream().map(JavaRegions::signature).toList())
                        + "; name one by its parameter types, e.g. '" + signature(matches.get(0)) + "'");
            }
            MethodDeclaration method = matches.get(0);
            String previous = chosen.put(method, selector);
            if (previous != null) {
                throw new IllegalArgumentException(path + ": '" + previous.strip() + "' and '" + selector.strip() + "' select the same method " + signature(method));
            }
            int[] hole = bodyHole(path, method, method.getBody().get(), lines, text);
            String key = selector.replaceAll("\\s+", "");
            selected.add(new Selected(path + "#" + key, selector.strip(), hole[0], hole[1]));
        }
        selected.sort(Comparator.comparingInt(Selected::start));
        List<Blueprint.Segment> segments = new ArrayList<>();
        int pos = 0;
        for (int i = 0; i < selected.size(); i++) {
            Selected s = selected.get(i);
            if (s.start() < pos) {
                throw new IllegalArgumentException(path + ": methods '" + selected.get(i - 1).selector() + "' and '" + s.selector()
                        + "' nest (one is declared inside the other); select only one of them");
            }
            if (s.start() > pos) {
                segments.add(new Blueprint.Fixed(text.substring(pos, s.start())));
            }
            segments.add(new Blueprint.Hole(s.region(), text.substring(s.start(), s.end())));
            pos = s.end();
        }
        if (pos < text.length()) {
            segments.add(new Blueprint.Fixed(text.substring(pos)));
        }
        return new Blueprint.SourceFile(path, segments);
    }

    /** {@code name(int[],List<String>)}, the form error messages suggest and selectors accept. */
    static String signature(MethodDeclaration m) {
        List<String> params = new ArrayList<>();
        for (Parameter p : m.getParameters()) {
            params.add(LocalTypes.normalize(p.getType()) + (p.isVarArgs() ? "..." : ""));
        }
        return m.getNameAsString() + "(" + String.join(",", params) + ")";
    }

    private static int[] bodyHole(String path, MethodDeclaration method, BlockStmt body, LineMap lines, String text) {
        int open = body.getBegin().map(lines::offset).orElse(-1);
        int close = body.getEnd().map(lines::offset).orElse(-1);
        if (open < 0 || close <= open || text.charAt(open) != '{' || text.charAt(close) != '}') {
            throw new IllegalArgumentException(path + ": cannot locate the braces of the body of " + signature(method));
        }
        int start = open + 1;
        int end = close;
        if (lines.blankAfter(start) && lines.blankBefore(close)) {
            int next = lines.nextLineStart(start);
            int last = lines.lineStart(close);
            if (next <= last) {
                start = next;
                end = last;
            }
        }
        return new int[] {start, end};
    }

    private static List<String> splitParams(String params) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : params.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                out.add(cur.toString().replaceAll("\\s+", ""));
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        String last = cur.toString().replaceAll("\\s+", "");
        if (!last.isEmpty() || !out.isEmpty()) {
            out.add(last);
        }
        return out;
    }

    private static boolean matchesParams(MethodDeclaration m, List<String> wanted) {
        if (m.getParameters().size() != wanted.size()) {
            return false;
        }
        for (int i = 0; i < wanted.size(); i++) {
            Parameter p = m.getParameter(i);
            String have = LocalTypes.normalize(p.getType()) + (p.isVarArgs() ? "[]" : "");
            String want = wanted.get(i).replace("...", "[]");
            if (!have.equals(want) && !erase(have).equals(erase(want))) {
                return false;
            }
        }
        return true;
    }

    /** A type without generic arguments or package qualifiers: {@code java.util.List<String>[]} is {@code List[]}. */
    private static String erase(String type) {
        String t = type;
        String previous;
        do {
            previous = t;
            t = t.replaceAll("<[^<>]*>", "");
        } while (!t.equals(previous));
        return t.replaceAll("[\\p{L}_$][\\p{L}\\p{N}_$]*\\.", "");
    }
}
