package dev.kaizen.java.gi;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles Java sources in memory with the JDK's javac, for tests that must run or compile candidates. */
final class InMemoryJavac {

    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();

    private static final class Source extends SimpleJavaFileObject {
        final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    private static final class Output extends SimpleJavaFileObject {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Output(String className) {
            super(URI.create("bytes:///" + className.replace('.', '/') + Kind.CLASS.extension), Kind.CLASS);
        }

        @Override
        public OutputStream openOutputStream() {
            return bytes;
        }
    }

    /** The result of one compilation: the classes by name, and the names of sources that had errors. */
    record Result(Map<String, byte[]> classes, Set<String> failed, String firstError) {
        Optional<ClassLoader> loader() {
            if (!failed.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ClassLoader(InMemoryJavac.class.getClassLoader()) {
                @Override
                protected Class<?> findClass(String name) throws ClassNotFoundException {
                    byte[] b = classes.get(name);
                    if (b == null) {
                        throw new ClassNotFoundException(name);
                    }
                    return defineClass(name, b, 0, b.length);
                }
            });
        }
    }

    /** Compiles sources keyed by fully qualified class name. */
    Result compile(Map<String, String> sources) {
        return compile(sources, true);
    }

    /** Checks sources through flow analysis (all compile errors) without writing classes. */
    Result check(Map<String, String> sources) {
        return compile(sources, false);
    }

    private Result compile(Map<String, String> sources, boolean generate) {
        List<String> options = new ArrayList<>(List.of("-proc:none", "-Xlint:none", "-nowarn", "-Xmaxerrs", "100000"));
        if (!generate) {
            options.add("-XDshould-stop.ifNoError=FLOW");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
        Map<String, Output> outputs = new HashMap<>();
        JavaFileManager manager = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                Output o = new Output(className);
                outputs.put(className, o);
                return o;
            }
        };
        List<Source> units = new ArrayList<>();
        Map<Object, String> names = new HashMap<>();
        sources.forEach((name, text) -> {
            Source s = new Source(name, text);
            units.add(s);
            names.put(s, name);
        });
        javac.getTask(null, manager, diagnostics, options, null, units).call();
        Set<String> failed = new HashSet<>();
        String first = "";
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                failed.add(names.getOrDefault(d.getSource(), "?"));
                if (first.isEmpty()) {
                    first = d.getMessage(Locale.ROOT);
                }
            }
        }
        Map<String, byte[]> classes = new HashMap<>();
        outputs.forEach((k, v) -> classes.put(k, v.bytes.toByteArray()));
        return new Result(classes, failed, first);
    }
}
