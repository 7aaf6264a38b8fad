package dev.kaizen.worker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A fresh, child-first class loader for one program. It defines, in this order: the program's
 * freshly compiled classes; the project's classes from its directories, except those the program
 * shadows (every top-level class its sources declare, with its nested classes); and delegates
 * everything else (the JDK, JUnit, ASM, the project's dependency jars) to the worker's own loader.
 * Every class it defines is rewritten by its {@link ClassTransform}. Resources in the project's
 * directories come before the parent's, and a compiled class's {@code .class} resource is its
 * in-memory class file.
 *
 * <p>Its name starts with {@value #NAME_PREFIX}, which is how stack traces tell the project's
 * frames from the JDK's and JUnit's (see {@link Failures}).
 */
final class CandidateLoader extends ClassLoader {

    /** The prefix of every candidate loader's name. */
    static final String NAME_PREFIX = "kaizen-";

    static {
        registerAsParallelCapable();
    }

    private final ProjectClasses project;
    private final CompiledProgram program;
    private final ClassTransform transform;

    /**
     * @param role      what the loader is for ({@code candidate}, {@code reference}, {@code cost}), in its name
     * @param parent    where everything that is not the project's comes from
     */
    CandidateLoader(String role, ClassLoader parent, ProjectClasses project, CompiledProgram program, ClassTransform transform) {
        super(NAME_PREFIX + role, parent);
        this.project = project;
        this.program = program;
        this.transform = transform;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = ownBytes(name);
                if (bytes == null) {
                    return super.loadClass(name, resolve);
                }
                c = defineClass(name, bytes, 0, bytes.length);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        throw new ClassNotFoundException(name);
    }

    private byte[] ownBytes(String name) {
        byte[] compiled = program.bytes(name);
        if (compiled != null) {
            return transform.apply(compiled);
        }
        if (program.shadows(name)) {
            return null;
        }
        return project.bytes(name, transform);
    }

    @Override
    public URL getResource(String name) {
        List<URL> own = ownResources(name);
        return own.isEmpty() ? super.getResource(name) : own.getFirst();
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>(ownResources(name));
        all.addAll(Collections.list(super.getResources(name)));
        return Collections.enumeration(all);
    }

    /**
     * The project's resources; for {@code Name.class}, the class file as compiled (not rewritten)
     * from the program, and none from the directories when the program shadows it, so that tools
     * reading class files see the same classes the loader defines.
     */
    private List<URL> ownResources(String name) {
        if (name.endsWith(".class")) {
            String binaryName = name.substring(0, name.length() - ".class".length()).replace('/', '.');
            byte[] compiled = program.bytes(binaryName);
            if (compiled != null) {
                return List.of(memoryUrl(name, compiled));
            }
            if (program.shadows(binaryName)) {
                return List.of();
            }
        }
        return project.resources(name);
    }

    private static URL memoryUrl(String name, byte[] bytes) {
        URLStreamHandler handler = new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL url) {
                return new URLConnection(url) {
                    @Override
                    public void connect() {
                        connected = true;
                    }

                    @Override
                    public InputStream getInputStream() {
                        return new ByteArrayInputStream(bytes);
                    }

                    @Override
                    public long getContentLengthLong() {
                        return bytes.length;
                    }
                };
            }
        };
        try {
            return URL.of(new URI("kaizen-memory", null, "/" + name, null), handler);
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IllegalStateException("unusable resource name " + name, e);
        }
    }
}
