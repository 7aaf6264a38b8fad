package dev.kaizen.sandbox;

import java.util.Objects;

/**
 * A limit the sandboxed tree ran into, seen after it ended.
 *
 * @param resource {@code memory}, {@code processes}, {@code cpu}, {@code file_size} or {@code disk}
 * @param detail   one line: the limit and what was observed
 */
public record Breach(String resource, String detail) {

    public Breach {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(detail, "detail");
    }

    public String describe() {
        return resource + " limit: " + detail;
    }
}
