package dev.kaizen.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rewritten classes still verify and behave the same, on control flow that stresses frames. */
class ClassTransformTest {

    private static final String TRICKY = """
            package t;

            import java.util.ArrayList;
            import java.util.List;

            public class Tricky {
                final Object o;

                Tricky(int x) {
                    this(x > 0 ? new StringBuilder("p") : new StringBuilder("n"), x);
                }

                Tricky(StringBuilder b, int x) {
                    o = x > 1 ? new ArrayList<>(List.of(b.toString())) : b;
                }

                public static String run(int n) {
                    StringBuilder out = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        switch (i % 4) {
                            case 0 -> out.append('a');
                            case 1 -> out.append(new Tricky(i).o);
                            default -> {
                                try {
                                    if (i % 3 == 0) {
                                        throw new IllegalStateException("x");
                                    }
                                    out.append(i);
                                } catch (IllegalStateException e) {
                                    out.append('!');
                                } finally {
                                    out.append(',');
                                }
                            }
                        }
                    }
                    String s = switch (out.length() % 3) {
                        case 0 -> "zero";
                        case 1 -> "one";
                        default -> "two";
                    };
                    Runnable r = () -> out.append(s);
                    r.run();
                    long big = 0;
                    for (int k = 0; k < n * 10; k++) {
                        big += k * (long) k;
                    }
                    synchronized (out) {
                        out.append(big);
                    }
                    return out + lookup(n) + straight(n);
                }

                static String lookup(int n) {
                    switch (n) {
                        case 10: return "ten";
                        case 1000: return "thousand";
                        case 100000: return "lakh";
                        default: return "other";
                    }
                }

                static int straight(int x) {
                    STRAIGHT
                    return x;
                }
            }
            """.replace("STRAIGHT", "x += x * 3 + 1; x ^= x >>> 7;\n".repeat(40));

    @ParameterizedTest
    @ValueSource(strings = {"21", "25"})
    void counted_and_guarded_classes_verify_and_compute_the_same(String release) throws Exception {
        CompiledProgram program = compile(release);

        String plain = (String) run(program, ClassTransform.GUARDED, 10);
        String counted = (String) run(program, ClassTransform.COUNTED, 10);

        assertThat(counted).isEqualTo(plain).startsWith("ap2,!,a[p]!,7,a[p]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"21", "25"})
    void the_count_is_deterministic_and_grows_with_the_work(String release) throws Exception {
        CompiledProgram program = compile(release);

        long ten = cost(program, 10);
        long tenAgain = cost(program, 10);
        long twenty = cost(program, 20);

        assertThat(ten).isPositive().isEqualTo(tenAgain);
        assertThat(twenty).isGreaterThan(ten + 10 * 10 * 5); // at least the extra iterations of the k loop
    }

    private static CompiledProgram compile(String release) {
        Compilation c = new InMemoryCompiler(List.of(), release).compile(Map.of("t/Tricky.java", TRICKY));
        assertThat(c).isInstanceOf(Compilation.Success.class);
        return ((Compilation.Success) c).program();
    }

    private static long cost(CompiledProgram program, int n) throws Exception {
        CandidateLoader loader = new CandidateLoader("test", ClassTransformTest.class.getClassLoader(),
                new ProjectClasses(List.of()), program, ClassTransform.COUNTED);
        Method run = Class.forName("t.Tricky", false, loader).getMethod("run", int.class);
        CostCounter.reset();
        run.invoke(null, n);
        return CostCounter.count();
    }

    private static Object run(CompiledProgram program, ClassTransform transform, int n) throws Exception {
        CandidateLoader loader = new CandidateLoader("test", ClassTransformTest.class.getClassLoader(),
                new ProjectClasses(List.of()), program, transform);
        return Class.forName("t.Tricky", true, loader).getMethod("run", int.class).invoke(null, n);
    }
}
