package dev.kaizen.java.gi;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.operator.ProposalContext;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.target.Blueprint;
import dev.kaizen.core.target.Objective;
import dev.kaizen.core.target.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Targets, parents and proposal loops for the operator tests. */
final class Fixtures {

    /** A realistic class with two evolve blocks and fixed text around and between them. */
    static final String SORTER = """
            package demo;

            import java.util.Arrays;

            /** Sorting and counting helpers. */
            public class Sorter {

                private static final int CUTOFF = 10;

                public static void insertionSort(int[] a) {
                    // EVOLVE-BLOCK-START
                    int n = a.length;
                    for (int i = 1; i < n; i++) {
                        int key = a[i];
                        int j = i - 1;
                        while (j >= 0 && a[j] > key) {
                            a[j + 1] = a[j];
                            j--;
                        }
                        a[j + 1] = key;
                    }
                    // EVOLVE-BLOCK-END
                }

                public static double mean(int[] a) {
                    if (a.length == 0) {
                        return 0.0;
                    }
                    long sum = 0;
                    for (int x : a) {
                        sum += x;
                    }
                    return (double) sum / a.length;
                }

                public static int clamp(int value, int limit) {
                    if (limit < 0) {
                        limit = 0;
                    }
                    return Math.min(value, limit);
                }

                public static int countAbove(int[] a, int limit, boolean strict) {
                    // EVOLVE-BLOCK-START
                    int count = 0;
                    String name = "count";
                    for (int i = 0; i < a.length; i++) {
                        boolean above = strict ? a[i] > limit : a[i] >= limit;
                        if (above && !name.isEmpty()) {
                            count++;
                        }
                    }
                    char grade = count > CUTOFF ? 'A' : 'B';
                    if (grade == 'A') {
                        count = count * 2 - 1;
                    }
                    double scale = 2.5;
                    count += (int) (scale * 0);
                    return count;
                    // EVOLVE-BLOCK-END
                }

                public static void main(String[] args) {
                    int[] a = {3, 1, 2};
                    insertionSort(a);
                    System.out.println(Arrays.toString(a) + " " + countAbove(a, 1, true) + " " + mean(a) + " " + clamp(5, 3));
                }
            }
            """;

    static final String SORTER_PATH = "src/main/java/demo/Sorter.java";

    /** A hundred-line class without markers (the whole file evolves), with most statement and expression kinds. */
    static final String LEDGER = """
            package demo;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.Map;
            import java.util.TreeMap;

            /** A small account ledger. */
            public class Ledger {

                private static final long LIMIT = 1_000_000L;
                private final List<Long> entries = new ArrayList<>();
                private final Map<String, Integer> tags = new TreeMap<>();
                private String owner;
                private double rate = 0.05;
                private boolean frozen;

                public Ledger(String owner) {
                    this.owner = owner;
                }

                public boolean add(long amount, String tag) {
                    if (frozen || amount == 0) {
                        return false;
                    }
                    if (Math.abs(amount) > LIMIT) {
                        throw new IllegalArgumentException("amount over limit: " + amount);
                    }
                    entries.add(amount);
                    int seen = tags.getOrDefault(tag, 0);
                    tags.put(tag, seen + 1);
                    return true;
                }

                public long balance() {
                    long total = 0;
                    for (long e : entries) {
                        total += e;
                    }
                    return total;
                }

                public long largestDebit() {
                    long worst = 0;
                    int i = 0;
                    while (i < entries.size()) {
                        long e = entries.get(i);
                        if (e < worst) {
                            worst = e;
                        }
                        i++;
                    }
                    return -worst;
                }

                public double interest(int days) {
                    double daily = rate / 365.0;
                    double amount = balance() * daily * days;
                    return amount > 0 ? amount : 0.0;
                }

                public String grade() {
                    long b = balance();
                    char g;
                    if (b > 10_000) {
                        g = 'A';
                    } else if (b > 1_000) {
                        g = 'B';
                    } else {
                        g = 'C';
                    }
                    return owner + ":" + g;
                }

                public int countTag(String prefix) {
                    int count = 0;
                    for (Map.Entry<String, Integer> e : tags.entrySet()) {
                        if (!e.getKey().startsWith(prefix)) {
                            continue;
                        }
                        count += e.getValue();
                        if (count >= 100) {
                            break;
                        }
                    }
                    return count;
                }

                public int parity() {
                    int bits = (int) (balance() & 0xFF);
                    int ones = 0;
                    for (int k = 0; k < 8; k++) {
                        ones += (bits >> k) & 1;
                    }
                    return ones % 2;
                }

                public void freeze() {
                    frozen = !frozen;
                }
            }
            """;

    static final String LEDGER_PATH = "src/main/java/demo/Ledger.java";

    private Fixtures() {}

    static Target target(Blueprint.SourceFile... files) {
        return new Target("t", "", Path.of("."), new Blueprint(List.of(files)), Objective.maximize("score"), List.of());
    }

    static Target target(String path, String text) {
        return target(Blueprint.parse(path, text));
    }

    static Candidate candidate(Code code) {
        return new Candidate(1, code.id(), code, List.of(), "seed", "", Patch.empty(),
                Evaluation.passed(Map.of("score", 1.0), "", "", Duration.ZERO), 1.0, 0, "0", 0, Instant.EPOCH);
    }

    static ProposalContext context(Target target, Code parent, RandomGenerator random) {
        return new ProposalContext(target, candidate(parent), List.of(), random);
    }

    /** {@code tries} proposals of {@code op} on the seed of {@code target}, from one seeded random source. */
    static List<Proposal> proposals(Operator op, Target target, int tries, long seed) {
        return proposals(op, target, target.blueprint().seed(), tries, seed);
    }

    static List<Proposal> proposals(Operator op, Target target, Code parent, int tries, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Proposal> out = new ArrayList<>();
        for (int i = 0; i < tries; i++) {
            Optional<Proposal> p = op.propose(context(target, parent, random));
            p.ifPresent(out::add);
        }
        return out;
    }

    static boolean parses(String javaSource) {
        return new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21))
                .parse(javaSource).isSuccessful();
    }

    /** Whitespace runs collapsed, to compare with description snippets. */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    static void assertReplays(Code parent, Code child) {
        assertThat(Patch.between(parent, child).applyTo(parent)).isEqualTo(child);
    }
}
