package dev.kaizen.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The project's compiled classes and resources, from its class directories. The directories are
 * indexed once; class bytes are read on first use and kept, rewritten, per {@link ClassTransform},
 * since the directories do not change while the worker lives. Only bytes are kept, never classes,
 * so nothing here holds on to a candidate's class loader. When two directories hold the same
 * class, the first wins.
 */
final class ProjectClasses {

    private final List<Path> dirs;
    private final Map<String, Path> files;
    private final Map<ClassTransform, Map<String, byte[]>> rewritten = new EnumMap<>(ClassTransform.class);

    ProjectClasses(List<String> classDirs) {
        dirs = classDirs.stream().map(Path::of).filter(Files::isDirectory).toList();
        Map<String, Path> index = new HashMap<>();
        for (Path dir : dirs) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.getFileName().toString().endsWith(".class")).forEach(p -> {
                    String relative = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                    String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                    if (!name.equals("module-info")) {
                        index.putIfAbsent(name, p);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot index class directory " + dir, e);
            }
        }
        files = Map.copyOf(index);
        for (ClassTransform t : ClassTransform.values()) {
            rewritten.put(t, new ConcurrentHashMap<>());
        }
    }

    /** Whether the directories hold this class. */
    boolean contains(String binaryName) {
        return files.containsKey(binaryName);
    }

    /** The number of classes in the directories. */
    int size() {
        return files.size();
    }

    /** The class's bytes rewritten by {@code transform}, or null when the directories do not hold it. */
    byte[] bytes(String binaryName, ClassTransform transform) {
        Path file = files.get(binaryName);
        if (file == null) {
            return null;
        }
        return rewritten.get(transform).computeIfAbsent(binaryName, n -> {
            try {
                return transform.apply(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        });
    }

    /** The resource's URLs in the directories, first directory first. */
    List<URL> resources(String name) {
        List<URL> urls = new ArrayList<>();
        if (name.startsWith("/") || name.contains("..")) {
            return urls;
        }
        for (Path dir : dirs) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    urls.add(file.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return urls;
    }
}
