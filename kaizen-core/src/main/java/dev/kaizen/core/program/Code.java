package dev.kaizen.core.program;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The content of a candidate's evolvable regions, keyed by region name ({@code path} for a whole
 * file, {@code path#N} for the N-th evolve block of a file). Immutable.
 */
public record Code(SortedMap<String, String> regions) {

    public Code {
        Objects.requireNonNull(regions, "regions");
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("code has no evolvable region");
        }
        regions.forEach((k, v) -> {
            Objects.requireNonNull(k, "region name");
            Objects.requireNonNull(v, () -> "region " + k);
        });
        regions = Collections.unmodifiableSortedMap(new TreeMap<>(regions));
    }

    public static Code of(Map<String, String> regions) {
        return new Code(new TreeMap<>(regions));
    }

    public static Code single(String region, String text) {
        return of(Map.of(region, text));
    }

    /** The text of one region; fails when the region does not exist. */
    public String region(String name) {
        String text = regions.get(name);
        if (text == null) {
            throw new IllegalArgumentException("no region named '" + name + "' (regions: " + regions.keySet() + ")");
        }
        return text;
    }

    /** The lines of one region, without line terminators. */
    public List<String> lines(String name) {
        return Lines.split(region(name));
    }

    /** A copy with one region's text replaced. */
    public Code withRegion(String name, String text) {
        region(name);
        TreeMap<String, String> copy = new TreeMap<>(regions);
        copy.put(name, text);
        return new Code(copy);
    }

    /** A copy with one region's lines replaced. */
    public Code withLines(String name, List<String> lines) {
        return withRegion(name, Lines.join(lines, region(name).endsWith("\n")));
    }

    /** Total number of characters over all regions. */
    public int length() {
        return regions.values().stream().mapToInt(String::length).sum();
    }

    /** The content-derived identity: SHA-256 over region names and texts. Equal code, equal id. */
    public ProgramId id() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : regions.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] text = e.getValue().getBytes(StandardCharsets.UTF_8);
                digest.update(lengthPrefix(name.length));
                digest.update(name);
                digest.update(lengthPrefix(text.length));
                digest.update(text);
            }
            return new ProgramId(HexFormat.of().formatHex(digest.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] lengthPrefix(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }
}
