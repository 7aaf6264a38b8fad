package dev.kaizen.worker.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the worker's bytecode guard refuses in a candidate's own classes before any of them is
 * loaded. Every category in {@link #CATEGORIES} is refused unless {@code allow} names it, except
 * {@code threads}, which is refused only when {@code forbid} names it. {@code forbid} also takes
 * patterns for the target's own APIs:
 * <ul>
 *   <li>{@code com.acme.Db.connect}: the method (any overload) or field {@code connect} of {@code com.acme.Db};</li>
 *   <li>{@code com.acme.Db}: every constructor, method and field of that class, and subclassing it;</li>
 *   <li>{@code java.sql.*}: the same for every class in that package and the packages below it.</li>
 * </ul>
 *
 * @param allow  category names the candidate may use
 * @param forbid category names refused although allowed by default ({@code threads}), and patterns
 */
public record GuardPolicy(Set<String> allow, List<String> forbid) {

    /** Every category, by stable name, with what it stands for (used in refusal reasons), in a fixed order. */
    public static final Map<String, String> CATEGORIES = categories();
    /** The categories not refused unless {@code forbid} names them. */
    public static final Set<String> ALLOWED_BY_DEFAULT = Set.of("threads");

    private static final Pattern FORBID_PATTERN = Pattern.compile(
            "[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*(\\.\\*)?");

    private static Map<String, String> categories() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("process", "process spawning");
        m.put("exit", "ending the JVM");
        m.put("reflection", "reflective access");
        m.put("classloading", "class loading");
        m.put("network", "network access");
        m.put("files", "file system access");
        m.put("native", "native code");
        m.put("unsafe", "Unsafe memory access");
        m.put("environment", "changing JVM-global state");
        m.put("threads", "starting threads");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * @throws IllegalArgumentException naming an unknown category, a malformed pattern, or a
     *                                  category both allowed and forbidden
     */
    public GuardPolicy {
        allow = Set.copyOf(new LinkedHashSet<>(allow));
        forbid = List.copyOf(new ArrayList<>(new LinkedHashSet<>(forbid)));
        for (String a : allow) {
            if (!CATEGORIES.containsKey(a)) {
                throw new IllegalArgumentException("unknown guard category '" + a + "' to allow; the categories are "
                        + String.join(", ", CATEGORIES.keySet()));
            }
        }
        for (String f : forbid) {
            if (CATEGORIES.containsKey(f)) {
                if (allow.contains(f)) {
                    throw new IllegalArgumentException("the guard category '" + f + "' is both allowed and forbidden");
                }
            } else if (!f.contains(".") || !FORBID_PATTERN.matcher(f).matches()) {
                throw new IllegalArgumentException("'" + f + "' to forbid is neither a guard category ("
                        + String.join(", ", CATEGORIES.keySet()) + ") nor a pattern such as com.acme.Db.connect, "
                        + "com.acme.Db or java.sql.*");
            }
        }
    }

    /** Every category refused except {@code threads}, and no patterns. */
    public static GuardPolicy defaults() {
        return new GuardPolicy(Set.of(), List.of());
    }

    /** These settings with {@code categories} allowed as well. */
    public GuardPolicy allowing(String... categories) {
        Set<String> all = new LinkedHashSet<>(allow);
        all.addAll(List.of(categories));
        return new GuardPolicy(all, forbid);
    }

    /** The categories the guard refuses, in the order of {@link #CATEGORIES}. */
    public Set<String> refused() {
        Set<String> refused = new LinkedHashSet<>();
        for (String c : CATEGORIES.keySet()) {
            if (forbid.contains(c) || (!allow.contains(c) && !ALLOWED_BY_DEFAULT.contains(c))) {
                refused.add(c);
            }
        }
        return refused;
    }

    /** The patterns in {@code forbid} (the entries that are not category names). */
    public List<String> patterns() {
        return forbid.stream().filter(f -> !CATEGORIES.containsKey(f)).toList();
    }

    /** E.g. {@code refuses process, exit, ...; also com.acme.Db.connect}. */
    public String describe() {
        String patterns = patterns().isEmpty() ? "" : "; also " + String.join(", ", patterns());
        Set<String> allowed = new TreeSet<>(CATEGORIES.keySet());
        allowed.removeAll(refused());
        return "refuses " + String.join(", ", refused()) + (allowed.isEmpty() ? "" : " (allows " + String.join(", ", allowed) + ")")
                + patterns;
    }

    public void writeTo(DataOutputStream out) throws IOException {
        Wire.writeStrings(out, List.copyOf(new TreeSet<>(allow)));
        Wire.writeStrings(out, forbid);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static GuardPolicy readFrom(DataInputStream in) throws IOException {
        List<String> allow = Wire.readStrings(in);
        List<String> forbid = Wire.readStrings(in);
        try {
            return new GuardPolicy(Set.copyOf(allow), forbid);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt stream: " + e.getMessage(), e);
        }
    }
}
