import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Scores Solution.java: compiles it, then measures how closely Solution.approximate(x) follows
 * sin(x) on [0, pi]. Run it from this directory with {@code java Evaluate.java} (JDK 11 or later).
 *
 * <p>The last line printed is the result Kaizen reads:
 * {@code {"score": ..., "correct": ..., "metrics": {...}, "feedback": "..."}}. The score is
 * 1 / (1 + 100 * mean squared error): 1.0 is a perfect fit, 0.0 a program that fails to compile or run.
 */
public class Evaluate {

    static final int POINTS = 41;

    public static void main(String[] args) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            fail("no Java compiler is available: run the evaluator with a JDK, not a JRE");
            return;
        }
        Path classes = Files.createTempDirectory("kaizen-evaluate");
        try {
            if (compile(compiler, Paths.get("Solution.java"), classes)) {
                score(classes);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(classes)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static boolean compile(JavaCompiler compiler, Path source, Path classes) throws IOException {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-proc:none", "-Xlint:none", "-encoding", "UTF-8");
            boolean ok = compiler.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(source.toFile())).call();
            if (!ok) {
                StringBuilder message = new StringBuilder("Solution.java does not compile:");
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        message.append("\nline ").append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT));
                    }
                }
                fail(message.toString());
            }
            return ok;
        }
    }

    static void score(Path classes) throws IOException {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Method approximate = loader.loadClass("Solution").getMethod("approximate", double.class);
            for (int i = 0; i < POINTS; i++) {
                double x = Math.PI * i / (POINTS - 1);
                double y = (double) approximate.invoke(null, x);
                if (!Double.isFinite(y)) {
                    fail("approximate(" + x + ") returned " + y + "; it must return a finite number");
                    return;
                }
                xs.add(x);
                ys.add(y);
            }
        } catch (InvocationTargetException e) {
            fail("approximate threw " + e.getCause());
            return;
        } catch (ReflectiveOperationException | LinkageError e) {
            fail("Solution.approximate(double) cannot be called: " + e);
            return;
        }
        double sum = 0;
        int worst = 0;
        for (int i = 0; i < xs.size(); i++) {
            double err = ys.get(i) - Math.sin(xs.get(i));
            sum += err * err;
            if (Math.abs(err) > Math.abs(ys.get(worst) - Math.sin(xs.get(worst)))) {
                worst = i;
            }
        }
        double mse = sum / xs.size();
        if (!Double.isFinite(mse)) {
            fail("the errors are too large to add up; approximate returns huge values");
            return;
        }
        double maxError = Math.abs(ys.get(worst) - Math.sin(xs.get(worst)));
        String feedback = String.format(Locale.ROOT,
                "mean squared error %.6g over %d points; the largest error, %.4g, is at x = %.4f (approximated %.4g, expected %.4g)",
                mse, xs.size(), maxError, xs.get(worst), ys.get(worst), Math.sin(xs.get(worst)));
        report(1.0 / (1.0 + 100.0 * mse), true, "{\"mse\": " + mse + ", \"max_abs_error\": " + maxError + "}", feedback);
    }

    static void fail(String feedback) {
        report(0.0, false, "{}", feedback);
    }

    static void report(double score, boolean correct, String metrics, String feedback) {
        System.out.println("{\"score\": " + score + ", \"correct\": " + correct + ", \"metrics\": " + metrics
                + ", \"feedback\": \"" + escape(feedback) + "\"}");
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.toString();
    }
}
