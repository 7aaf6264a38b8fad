package dev.kaizen.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads of SnakeYAML nodes that fail with a {@link ConfigException} naming the file, the
 * node's line and column, and the setting's dotted key.
 */
final class Nodes {

    private final String file;

    Nodes(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    ConfigException error(Node node, String key, String detail) {
        return error(node.getStartMark(), key, detail, null);
    }

    ConfigException error(Node node, String key, String detail, Throwable cause) {
        return error(node.getStartMark(), key, detail, cause);
    }

    ConfigException error(Mark mark, String key, String detail, Throwable cause) {
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        return new ConfigException(file, line, column, key, detail, cause);
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String item(String path, int index) {
        return path + "[" + index + "]";
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    /** How a node shows in an error: a quoted string, a plain number, "a list", "a map" or "nothing". */
    static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a map";
            case SequenceNode s -> "a list";
            case ScalarNode s when Tag.NULL.equals(s.getTag()) -> "nothing";
            case ScalarNode s when Tag.STR.equals(s.getTag()) -> quote(s.getValue());
            case ScalarNode s -> s.getValue();
            default -> node.getNodeId().name();
        };
    }

    static String quote(String text) {
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** The entries of a map node, with unknown keys and duplicate keys rejected. */
    Fields fields(Node node, String path, Collection<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            throw error(node, path, "expected a map with keys such as " + String.join(", ", allowed) + ", got " + describe(node));
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        List<NodeTuple> merged = new ArrayList<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (Tag.MERGE.equals(keyNode.getTag())) {
                merged.addAll(mergeSources(tuple.getValueNode(), path));
                continue;
            }
            if (!(keyNode instanceof ScalarNode scalar) || isNull(keyNode)) {
                throw error(keyNode, path, "keys must be plain names, got " + describe(keyNode));
            }
            String key = scalar.getValue();
            if (!allowed.contains(key)) {
                throw unknownKey(keyNode, path, key, allowed);
            }
            NodeTuple first = entries.putIfAbsent(key, tuple);
            if (first != null) {
                throw error(keyNode, child(path, key), "duplicate key '" + key + "' (first given at line " + (first.getKeyNode().getStartMark().getLine() + 1) + ")");
            }
        }
        for (NodeTuple tuple : merged) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar) || isNull(keyNode)) {
                throw error(keyNode, path, "keys must be plain names, got " + describe(keyNode));
            }
            String key = scalar.getValue();
            if (!allowed.contains(key)) {
                throw unknownKey(keyNode, path, key, allowed);
            }
            entries.putIfAbsent(key, tuple);
        }
        return new Fields(this, map, path, entries);
    }

    private List<NodeTuple> mergeSources(Node value, String path) {
        List<NodeTuple> tuples = new ArrayList<>();
        if (value instanceof MappingNode m) {
            tuples.addAll(m.getValue());
        } else if (value instanceof SequenceNode s) {
            for (Node n : s.getValue()) {
                if (!(n instanceof MappingNode m)) {
                    throw error(n, path, "a merge (<<) takes maps, got " + describe(n));
                }
                tuples.addAll(m.getValue());
            }
        } else {
            throw error(value, path, "a merge (<<) takes a map or a list of maps, got " + describe(value));
        }
        return tuples;
    }

    private ConfigException unknownKey(Node keyNode, String path, String key, Collection<String> allowed) {
        Optional<String> suggestion = Suggestions.closest(key, allowed);
        String where = path.isEmpty() ? "" : " in " + path;
        String detail = suggestion
                .map(s -> "unknown key '" + key + "'" + where + "; did you mean '" + s + "'?")
                .orElseGet(() -> "unknown key '" + key + "'" + where + "; expected one of " + String.join(", ", allowed));
        return error(keyNode, child(path, key), detail);
    }

    /** The items of a list node. */
    List<Node> list(Node node, String key, String hint) {
        if (node instanceof SequenceNode s) {
            return s.getValue();
        }
        throw error(node, key, "expected a list, got " + describe(node) + (hint.isEmpty() ? "" : "; " + hint));
    }

    /** Any scalar's text (a number or a boolean reads as its text). */
    String string(Node node, String key) {
        if (node instanceof ScalarNode s && !isNull(s)) {
            return s.getValue();
        }
        throw error(node, key, "expected a string, got " + describe(node));
    }

    /** A string with some non-blank text. */
    String text(Node node, String key) {
        String s = string(node, key);
        if (s.isBlank()) {
            throw error(node, key, "must not be empty");
        }
        return s;
    }

    /** One of {@code choices}, compared without regard to case. */
    String choice(Node node, String key, List<String> choices) {
        String s = string(node, key);
        for (String c : choices) {
            if (c.equalsIgnoreCase(s.strip())) {
                return c;
            }
        }
        String hint = Suggestions.closest(s, choices).map(c -> "did you mean '" + c + "'? ").orElse("");
        throw error(node, key, "unknown value " + quote(s) + "; " + hint + "expected one of " + String.join(", ", choices));
    }

    /** A whole number between {@code min} and {@code max} inclusive. */
    long integer(Node node, String key, long min, long max) {
        BigInteger value = integerValue(node, key);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            String range = max == Long.MAX_VALUE && min != Long.MIN_VALUE ? "at least " + min
                    : min == Long.MIN_VALUE && max != Long.MAX_VALUE ? "at most " + max
                    : "between " + min + " and " + max;
            throw error(node, key, "must be " + range + ", got " + value);
        }
        return value.longValueExact();
    }

    private BigInteger integerValue(Node node, String key) {
        if (node instanceof ScalarNode s) {
            if (Tag.INT.equals(s.getTag())) {
                Optional<BigInteger> parsed = parseInteger(s.getValue());
                if (parsed.isPresent()) {
                    return parsed.get();
                }
            } else if (Tag.FLOAT.equals(s.getTag())) {
                Optional<Double> d = parseFloat(s.getValue());
                if (d.isPresent() && Double.isFinite(d.get()) && d.get() == Math.rint(d.get())) {
                    return new BigDecimal(d.get()).toBigIntegerExact();
                }
            }
        }
        throw error(node, key, "expected a whole number, got " + describe(node));
    }

    /** A finite number. */
    double number(Node node, String key) {
        if (node instanceof ScalarNode s) {
            Optional<Double> value = Optional.empty();
            if (Tag.INT.equals(s.getTag())) {
                value = parseInteger(s.getValue()).map(BigInteger::doubleValue);
            } else if (Tag.FLOAT.equals(s.getTag())) {
                value = parseFloat(s.getValue());
            }
            if (value.isPresent()) {
                if (!Double.isFinite(value.get())) {
                    throw error(node, key, "must be a finite number, got " + s.getValue());
                }
                return value.get();
            }
        }
        throw error(node, key, "expected a number, got " + describe(node));
    }

    /** A finite number of at least {@code min}. */
    double number(Node node, String key, double min) {
        double value = number(node, key);
        if (value < min) {
            throw error(node, key, "must be at least " + plain(min) + ", got " + ((ScalarNode) node).getValue());
        }
        return value;
    }

    /** A positive duration: text such as {@code 30s} or {@code 1h30m}, or a bare number of seconds. */
    Duration duration(Node node, String key) {
        if (node instanceof ScalarNode s && (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))) {
            double seconds = number(node, key);
            try {
                return Durations.ofSeconds(seconds);
            } catch (IllegalArgumentException e) {
                throw error(node, key, e.getMessage(), e);
            }
        }
        if (node instanceof ScalarNode s && Tag.STR.equals(s.getTag())) {
            try {
                return Durations.parse(s.getValue());
            } catch (IllegalArgumentException e) {
                throw error(node, key, e.getMessage(), e);
            }
        }
        throw error(node, key, "expected " + Durations.EXPECTED + ", got " + describe(node));
    }

    /** A map of names to string values (numbers and booleans read as their text). */
    Map<String, String> stringMap(Node node, String key) {
        if (!(node instanceof MappingNode map)) {
            throw error(node, key, "expected a map of NAME: value, got " + describe(node));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String name = string(t.getKeyNode(), key);
            String path = child(key, name);
            if (out.containsKey(name)) {
                throw error(t.getKeyNode(), path, "duplicate key '" + name + "'");
            }
            out.put(name, string(t.getValueNode(), path));
        }
        return out;
    }

    static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** YAML 1.1 integers as SnakeYAML resolves them: decimal, 0x hex, 0b binary, 0-prefixed octal, base 60. */
    static Optional<BigInteger> parseInteger(String raw) {
        String s = raw.replace("_", "");
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        try {
            BigInteger value;
            if (s.startsWith("0x")) {
                value = new BigInteger(s.substring(2), 16);
            } else if (s.startsWith("0b")) {
                value = new BigInteger(s.substring(2), 2);
            } else if (s.contains(":")) {
                value = BigInteger.ZERO;
                for (String part : s.split(":")) {
                    value = value.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
                }
            } else if (s.length() > 1 && s.startsWith("0")) {
                value = new BigInteger(s.substring(1), 8);
            } else {
                value = new BigInteger(s);
            }
            return Optional.of(negative ? value.negate() : value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** YAML 1.1 floats as SnakeYAML resolves them, including {@code .inf}, {@code .nan} and base 60. */
    static Optional<Double> parseFloat(String raw) {
        String s = raw.replace("_", "");
        String lower = s.toLowerCase(Locale.ROOT);
        switch (lower) {
            case ".inf", "+.inf" -> {
                return Optional.of(Double.POSITIVE_INFINITY);
            }
            case "-.inf" -> {
                return Optional.of(Double.NEGATIVE_INFINITY);
            }
            case ".nan" -> {
                return Optional.of(Double.NaN);
            }
            default -> {
                // parsed below
            }
        }
        try {
            if (s.contains(":")) {
                boolean negative = s.startsWith("-");
                String body = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
                String[] parts = body.split(":");
                double value = 0;
                for (int i = 0; i < parts.length; i++) {
                    value = value * 60 + (i == parts.length - 1 ? Double.parseDouble(parts[i]) : Long.parseLong(parts[i]));
                }
                return Optional.of(negative ? -value : value);
            }
            return Optional.of(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
