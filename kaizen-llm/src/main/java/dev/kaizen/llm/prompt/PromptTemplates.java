package dev.kaizen.llm.prompt;

import dev.kaizen.llm.edit.EditFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The prompt templates of one version ({@value #BASE}), read from the classpath, each optionally
 * replaced by a file of the same name in an override directory. A template is text with
 * {@code {{placeholder}}} slots; every slot must be one its template knows, checked when the
 * templates are loaded. {@link #version()} identifies the exact texts in use. Immutable.
 */
public final class PromptTemplates {

    /** The template version shipped with this library. */
    public static final String BASE = "v1";

    /** The system message for {@link EditFormat#DIFF}. */
    public static final String SYSTEM_DIFF = "system-diff.txt";
    /** The system message for {@link EditFormat#REWRITE}. */
    public static final String SYSTEM_REWRITE = "system-rewrite.txt";
    /** The system message for {@link EditFormat#CROSSOVER}. */
    public static final String SYSTEM_CROSSOVER = "system-crossover.txt";
    /** The user message, arranging the prompt's sections. */
    public static final String USER = "user.txt";

    private static final Set<String> SYSTEM_SLOTS = Set.of("target_name", "objective", "regions");
    private static final Set<String> USER_SLOTS = Set.of("target_name", "objective", "regions", "task", "program", "metrics", "feedback",
            "inspirations", "insights");
    private static final Map<String, Set<String>> SLOTS = Map.of(SYSTEM_DIFF, SYSTEM_SLOTS, SYSTEM_REWRITE, SYSTEM_SLOTS,
            SYSTEM_CROSSOVER, SYSTEM_SLOTS, USER, USER_SLOTS);

    private final Map<String, Template> templates;
    private final String version;

    /**
     * Loads the templates.
     *
     * @param overrides a directory whose {@code *.txt} files replace the templates of the same name
     * @throws IllegalArgumentException when the directory does not exist, holds a {@code .txt} file
     *                                  that names no template, or a template has an unknown or
     *                                  unclosed placeholder
     * @throws UncheckedIOException     when a file cannot be read
     */
    public PromptTemplates(Optional<Path> overrides) {
        Objects.requireNonNull(overrides, "overrides");
        Map<String, String> texts = new TreeMap<>();
        Map<String, String> origins = new TreeMap<>();
        for (String name : SLOTS.keySet()) {
            texts.put(name, resource(name));
            origins.put(name, BASE + "/" + name);
        }
        if (overrides.isPresent()) {
            Path dir = overrides.get();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("prompt override directory " + dir + " does not exist or is not a directory");
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.txt")) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (!SLOTS.containsKey(name)) {
                        throw new IllegalArgumentException("prompt override " + f + " names no template; templates: " + String.join(", ", new TreeSet<>(SLOTS.keySet())));
                    }
                    texts.put(name, Files.readString(f, StandardCharsets.UTF_8));
                    origins.put(name, f.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prompt override directory " + dir + ": " + e.getMessage(), e);
            }
        }
        Map<String, Template> parsed = new TreeMap<>();
        texts.forEach((name, text) -> parsed.put(name, Template.parse(origins.get(name), text, SLOTS.get(name))));
        this.templates = Map.copyOf(parsed);
        this.version = BASE + "-" + hash(texts);
    }

    /** The shipped templates, without overrides. */
    public static PromptTemplates defaults() {
        return new PromptTemplates(Optional.empty());
    }

    /** {@code v1-} and the first 12 hex digits of a SHA-256 over every template's name and text. */
    public String version() {
        return version;
    }

    /** The system template for {@code format}. */
    public static String systemTemplate(EditFormat format) {
        return switch (format) {
            case DIFF -> SYSTEM_DIFF;
            case REWRITE -> SYSTEM_REWRITE;
            case CROSSOVER -> SYSTEM_CROSSOVER;
        };
    }

    /**
     * The template {@code name} with its placeholders filled from {@code values}; values are inserted
     * as they are, never expanded again.
     *
     * @throws IllegalArgumentException for an unknown template or a placeholder without a value
     */
    public String render(String name, Map<String, String> values) {
        Template t = templates.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no prompt template named " + name + "; templates: " + new TreeSet<>(templates.keySet()));
        }
        return t.render(values);
    }

    private static String resource(String name) {
        String path = "/dev/kaizen/llm/prompts/" + BASE + "/" + name;
        try (InputStream in = PromptTemplates.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("prompt template resource " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt template resource " + path + ": " + e.getMessage(), e);
        }
    }

    private static String hash(Map<String, String> texts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            texts.forEach((name, text) -> {
                d.update(name.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
                d.update(text.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            });
            return HexFormat.of().formatHex(d.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A parsed template: literal pieces and placeholder names, alternating. */
    private record Template(String origin, List<String> literals, List<String> slots) {

        static Template parse(String origin, String text, Set<String> known) {
            List<String> literals = new ArrayList<>();
            List<String> slots = new ArrayList<>();
            int pos = 0;
            while (true) {
                int open = text.indexOf("{{", pos);
                if (open < 0) {
                    literals.add(text.substring(pos));
                    break;
                }
                int close = text.indexOf("}}", open + 2);
                int line = 1 + (int) text.substring(0, open).chars().filter(c -> c == '\n').count();
                if (close < 0) {
                    throw new IllegalArgumentException("prompt template " + origin + " line " + line + ": '{{' is never closed by '}}'");
                }
                String slot = text.substring(open + 2, close).strip();
                if (!known.contains(slot)) {
                    throw new IllegalArgumentException("prompt template " + origin + " line " + line + ": unknown placeholder {{" + slot
                            + "}}; this template knows " + new TreeSet<>(known));
                }
                literals.add(text.substring(pos, open));
                slots.add(slot);
                pos = close + 2;
            }
            return new Template(origin, List.copyOf(literals), List.copyOf(slots));
        }

        String render(Map<String, String> values) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < slots.size(); i++) {
                out.append(literals.get(i));
                String v = values.get(slots.get(i));
                if (v == null) {
                    throw new IllegalArgumentException("prompt template " + origin + ": no value for {{" + slots.get(i) + "}}");
                }
                out.append(v);
            }
            return out.append(literals.get(slots.size())).toString();
        }
    }
}
