package dev.kaizen.config;

import java.util.Objects;

/**
 * A {@code kaizen.yaml} that cannot be used, with where and why: the message reads
 * {@code kaizen.yaml:12:12: evaluator.timeout: expected a duration such as 30s, 5m, 1h or 250ms, got "abc"}.
 * Lines and columns count from 1; both are 0 when the problem has no position in the file (the
 * file cannot be read, for instance). The key is the dotted path of the setting at fault, such as
 * {@code evaluator.stages[1].timeout}, or empty when the problem concerns no one setting.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String key;
    private final String detail;

    /**
     * @param file   the file's name as the user knows it, e.g. {@code kaizen.yaml}
     * @param line   1-based line, or 0 when unknown
     * @param column 1-based column, or 0 when unknown
     * @param key    dotted path of the setting at fault, or empty
     * @param detail what is wrong, without the position
     * @param cause  the underlying failure, or null
     */
    public ConfigException(String file, int line, int column, String key, String detail, Throwable cause) {
        super(format(file, line, column, key, detail), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = Math.max(0, line);
        this.column = Math.max(0, column);
        this.key = key == null ? "" : key;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public ConfigException(String file, int line, int column, String key, String detail) {
        this(file, line, column, key, detail, null);
    }

    /** The file's name as given to the loader. */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when it has no position. */
    public int line() {
        return line;
    }

    /** The 1-based column of the problem, or 0 when it has no position. */
    public int column() {
        return column;
    }

    /** The dotted path of the setting at fault, e.g. {@code search.islands}; empty when none. */
    public String key() {
        return key;
    }

    /** What is wrong, without the file, position and key. */
    public String detail() {
        return detail;
    }

    private static String format(String file, int line, int column, String key, String detail) {
        StringBuilder b = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            b.append(':').append(line);
            if (column > 0) {
                b.append(':').append(column);
            }
        }
        b.append(": ");
        if (key != null && !key.isEmpty()) {
            b.append(key).append(": ");
        }
        return b.append(detail).toString();
    }
}
