package dev.kaizen.core.target;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Lines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The evolvable files of a target split into fixed text and holes. A file with
 * {@code EVOLVE-BLOCK-START} / {@code EVOLVE-BLOCK-END} marker lines (in any comment syntax) evolves
 * only between its markers; a file without markers evolves whole. The marker lines stay fixed.
 * {@code reader} reads a rendered file back into the same shape (see {@link RegionReader}); it is
 * {@link RegionReader#MARKERS} unless the regions were found another way.
 */
public record Blueprint(List<SourceFile> files, RegionReader reader) {

    public static final String START = "EVOLVE-BLOCK-START";
    public static final String END = "EVOLVE-BLOCK-END";

    public Blueprint {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a target needs at least one evolvable file");
        }
        Objects.requireNonNull(reader, "reader");
    }

    /** A blueprint whose files are read back with the marker reader. */
    public Blueprint(List<SourceFile> files) {
        this(files, RegionReader.MARKERS);
    }

    /** A copy whose files are read back with {@code newReader}. */
    public Blueprint withReader(RegionReader newReader) {
        return new Blueprint(files, newReader);
    }

    /**
     * Whether {@code region} of the file at {@code path} is a method body selected by name
     * ({@code path#name} or {@code path#name(types)}) rather than a whole file or a marker block
     * ({@code path#N}).
     */
    public static boolean isMethodRegion(String path, String region) {
        if (!region.startsWith(path + "#")) {
            return false;
        }
        String rest = region.substring(path.length() + 1);
        return !rest.isEmpty() && !rest.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** One evolvable file: alternating fixed text and named holes. */
    public record SourceFile(String path, List<Segment> segments) {
        public SourceFile {
            Objects.requireNonNull(path, "path");
            segments = List.copyOf(segments);
        }
    }

    /** A piece of a file: fixed text, or a hole with the region name it is filled from. */
    public sealed interface Segment permits Fixed, Hole {}

    /** Text that never changes. */
    public record Fixed(String text) implements Segment {}

    /** An evolvable region; {@code seed} is its original text. */
    public record Hole(String region, String seed) implements Segment {}

    /** Reads the given files (relative to {@code root}) and finds their evolve blocks. */
    public static Blueprint read(Path root, List<String> paths) {
        List<SourceFile> files = new ArrayList<>();
        for (String rel : paths) {
            Path file = root.resolve(rel);
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read evolvable file " + rel + ": " + e.getMessage(), e);
            }
            files.add(parse(rel, text));
        }
        return new Blueprint(files);
    }

    /** Splits one file's text at its markers. */
    public static SourceFile parse(String path, String text) {
        List<String> lines = Lines.split(text);
        boolean finalNewline = text.endsWith("\n");
        List<Segment> segments = new ArrayList<>();
        StringBuilder fixed = new StringBuilder();
        StringBuilder hole = null;
        int holeStartLine = 0;
        int index = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String nl = (i < lines.size() - 1 || finalNewline) ? "\n" : "";
            boolean start = line.contains(START);
            boolean end = line.contains(END);
            if (start && end) {
                throw new BlueprintException(path + ":" + (i + 1) + ": a line may not hold both " + START + " and " + END);
            }
            if (start) {
                if (hole != null) {
                    throw new BlueprintException(path + ":" + (i + 1) + ": " + START + " inside the block opened at line " + holeStartLine + " (blocks do not nest)");
                }
                fixed.append(line).append(nl);
                segments.add(new Fixed(fixed.toString()));
                fixed.setLength(0);
                hole = new StringBuilder();
                holeStartLine = i + 1;
            } else if (end) {
                if (hole == null) {
                    throw new BlueprintException(path + ":" + (i + 1) + ": " + END + " without a matching " + START);
                }
                index++;
                segments.add(new Hole(path + "#" + index, hole.toString()));
                hole = null;
                fixed.append(line).append(nl);
            } else if (hole != null) {
                hole.append(line).append(nl);
            } else {
                fixed.append(line).append(nl);
            }
        }
        if (hole != null) {
            throw new BlueprintException(path + ":" + holeStartLine + ": " + START + " is never closed by " + END);
        }
        if (index == 0) {
            return new SourceFile(path, List.of(new Hole(path, text)));
        }
        if (!fixed.isEmpty()) {
            segments.add(new Fixed(fixed.toString()));
        }
        return new SourceFile(path, segments);
    }

    /** The code of the unmodified target. */
    public Code seed() {
        Map<String, String> regions = new TreeMap<>();
        for (SourceFile f : files) {
            for (Segment s : f.segments()) {
                if (s instanceof Hole h) {
                    regions.put(h.region(), h.seed());
                }
            }
        }
        return Code.of(regions);
    }

    /** All fixed (non-evolvable) lines of all files; ingredients for edits that copy code. */
    public List<String> fixedLines() {
        List<String> lines = new ArrayList<>();
        for (SourceFile f : files) {
            for (Segment s : f.segments()) {
                if (s instanceof Fixed fx) {
                    lines.addAll(Lines.split(fx.text()));
                }
            }
        }
        return lines;
    }

    /** Each file's full text with the holes filled from {@code code}, in file order. */
    public Map<String, String> render(Code code) {
        Map<String, String> out = new LinkedHashMap<>();
        for (SourceFile f : files) {
            StringBuilder text = new StringBuilder();
            for (Segment s : f.segments()) {
                switch (s) {
                    case Fixed fx -> text.append(fx.text());
                    case Hole h -> text.append(code.region(h.region()));
                }
            }
            out.put(f.path(), text.toString());
        }
        return out;
    }

    /** Writes the rendered files into {@code dir}, which already holds a copy of the target. */
    public void writeTo(Code code, Path dir) {
        for (Map.Entry<String, String> e : render(code).entrySet()) {
            Path file = dir.resolve(e.getKey());
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
            }
        }
    }

    /** A marker error, named by file and line. */
    public static final class BlueprintException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public BlueprintException(String message) {
            super(message);
        }
    }
}
