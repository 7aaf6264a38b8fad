package dev.kaizen.worker;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles sources held in memory to class bytes held in memory, with {@code javac} from the
 * worker's own JDK. One compiler and one file manager (which caches the opened jars and the
 * platform's class tables) serve every compilation; each compilation gets a thin in-memory output
 * layer over it. Successful compilations are kept in a small LRU cache keyed by the sources'
 * SHA-256, since the same parent is sent again and again as the reference for timing.
 *
 * <p>Not thread-safe beyond {@code synchronized}: one compilation at a time.
 */
final class InMemoryCompiler {

    /** Diagnostics beyond this many characters are cut, with a note saying how many errors were left out. */
    static final int MAX_DIAGNOSTICS = 4096;
    private static final int CACHE_SIZE = 16;

    private final JavaCompiler javac;
    private final StandardJavaFileManager files;
    private final List<String> options;
    private final Map<String, CompiledProgram> cache = new LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledProgram> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /**
     * @param classpath what sources compile against
     * @param release   the {@code --release} value
     * @throws IllegalStateException when the worker runs on a JRE without {@code javac}
     */
    InMemoryCompiler(List<String> classpath, String release) {
        javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: the worker must run on a JDK, not a JRE");
        }
        files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        try {
            files.setLocation(StandardLocation.CLASS_PATH, classpath.stream().map(File::new).toList());
            files.setLocation(StandardLocation.SOURCE_PATH, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        options = List.of("--release", release, "-proc:none", "-g", "-implicit:none", "-Xlint:none", "-nowarn",
                "-encoding", "UTF-8");
    }

    /** Compiles {@code sources} (relative path to text), or returns the cached result of an earlier identical call. */
    synchronized Compilation compile(Map<String, String> sources) {
        String key = hash(sources);
        CompiledProgram cached = cache.get(key);
        if (cached != null) {
            return new Compilation.Success(cached);
        }
        Compilation result = compileFresh(sources);
        if (result instanceof Compilation.Success(CompiledProgram program)) {
            cache.put(key, program);
        }
        return result;
    }

    private Compilation compileFresh(Map<String, String> sources) {
        if (sources.isEmpty()) {
            return new Compilation.Success(CompiledProgram.EMPTY);
        }
        List<SourceFile> units = new TreeMap<>(sources).entrySet().stream()
                .map(e -> new SourceFile(e.getKey(), e.getValue()))
                .toList();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        MemoryOutput output = new MemoryOutput(files);
        Set<String> topLevel = new HashSet<>();
        try {
            JavacTask task = (JavacTask) javac.getTask(null, output, diagnostics, options, null, units);
            for (CompilationUnitTree unit : task.parse()) {
                String pkg = unit.getPackageName() == null ? "" : unit.getPackageName() + ".";
                for (Tree type : unit.getTypeDecls()) {
                    if (type instanceof ClassTree c) {
                        topLevel.add(pkg + c.getSimpleName());
                    }
                }
            }
            if (!hasErrors(diagnostics)) {
                task.analyze();
            }
            if (!hasErrors(diagnostics)) {
                task.generate();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // javac rejects its options (an unknown --release, say) this way
            return new Compilation.Failure("javac: error: " + e.getMessage());
        }
        if (hasErrors(diagnostics)) {
            return new Compilation.Failure(format(diagnostics.getDiagnostics()));
        }
        return new Compilation.Success(new CompiledProgram(output.classes(), topLevel));
    }

    private static boolean hasErrors(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
    }

    /**
     * Formats the errors as javac does on the command line: {@code path:line: error: message},
     * the source line and a caret under the error, then the message's further lines.
     */
    static String format(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        StringBuilder text = new StringBuilder();
        List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .toList();
        for (int i = 0; i < errors.size(); i++) {
            String one = formatOne(errors.get(i));
            if (text.length() + one.length() > MAX_DIAGNOSTICS && i > 0) {
                text.append("... and ").append(errors.size() - i).append(" more errors\n");
                break;
            }
            text.append(one);
        }
        if (text.length() > MAX_DIAGNOSTICS) {
            text.setLength(MAX_DIAGNOSTICS);
            text.append("\n... (cut)\n");
        }
        return text.toString();
    }

    private static String formatOne(Diagnostic<? extends JavaFileObject> d) {
        String[] message = d.getMessage(Locale.ROOT).split("\n", 2);
        StringBuilder out = new StringBuilder();
        if (d.getSource() instanceof SourceFile source && d.getLineNumber() != Diagnostic.NOPOS) {
            out.append(source.path).append(':').append(d.getLineNumber()).append(": error: ").append(message[0]).append('\n');
            String text = source.text;
            long position = d.getPosition() != Diagnostic.NOPOS ? d.getPosition() : d.getStartPosition();
            if (position >= 0 && position <= text.length()) {
                int start = text.lastIndexOf('\n', (int) position - 1) + 1;
                int end = text.indexOf('\n', start);
                String line = text.substring(start, end < 0 ? text.length() : end).stripTrailing();
                out.append(line).append('\n');
                StringBuilder caret = new StringBuilder();
                for (int i = start; i < position && i - start < line.length(); i++) {
                    caret.append(text.charAt(i) == '\t' ? '\t' : ' ');
                }
                out.append(caret).append("^\n");
            }
        } else {
            String where = d.getSource() instanceof SourceFile source ? source.path + ": " : "javac: ";
            out.append(where).append("error: ").append(message[0]).append('\n');
        }
        if (message.length > 1) {
            out.append(message[1]).append('\n');
        }
        return out.toString();
    }

    private static String hash(Map<String, String> sources) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : new TreeMap<>(sources).entrySet()) {
                for (String part : List.of(e.getKey(), e.getValue())) {
                    byte[] b = part.getBytes(StandardCharsets.UTF_8);
                    sha.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
                    sha.update(b);
                }
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A source held in memory, named by the path the request gave it. */
    private static final class SourceFile extends SimpleJavaFileObject {
        final String path;
        final String text;

        SourceFile(String path, String text) {
            super(uri(path), Kind.SOURCE);
            this.path = path;
            this.text = text;
        }

        private static URI uri(String path) {
            try {
                return new URI("string", null, "/" + path.replace('\\', '/'), null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("unusable source path: " + path, e);
            }
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }

        @Override
        public String getName() {
            return path;
        }
    }

    /** Collects the class files javac writes into memory; reads go to the shared file manager. */
    private static final class MemoryOutput extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private final Map<String, ByteArrayOutputStream> outputs = new LinkedHashMap<>();

        MemoryOutput(StandardJavaFileManager files) {
            super(files);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(JavaFileManager.Location location, String className,
                JavaFileObject.Kind kind, FileObject sibling) {
            URI uri = URI.create("mem:///" + className.replace('.', '/') + kind.extension);
            return new SimpleJavaFileObject(uri, kind) {
                @Override
                public OutputStream openOutputStream() {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    outputs.put(className, bytes);
                    return bytes;
                }
            };
        }

        @Override
        public void close() {
            // the shared file manager outlives every compilation
        }

        Map<String, byte[]> classes() {
            Map<String, byte[]> classes = new LinkedHashMap<>();
            outputs.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
            return classes;
        }
    }
}
