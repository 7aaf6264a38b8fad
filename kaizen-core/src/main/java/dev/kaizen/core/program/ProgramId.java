package dev.kaizen.core.program;

import java.util.regex.Pattern;

/** The identity of a program: the lowercase hex SHA-256 of its {@link Code}. */
public record ProgramId(String hex) implements Comparable<ProgramId> {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public ProgramId {
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException("a program id is 64 lowercase hex digits, got: " + hex);
        }
    }

    /** The first twelve digits, enough to name a program in a listing. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public int compareTo(ProgramId o) {
        return hex.compareTo(o.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
