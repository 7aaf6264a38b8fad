package dev.kaizen.config;

import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * The checked entries of one YAML map: every key is known and given once. A key whose value is
 * empty ({@code key:} with nothing after it) counts as absent.
 */
final class Fields {

    private final Nodes nodes;
    private final MappingNode node;
    private final String path;
    private final Map<String, NodeTuple> entries;

    Fields(Nodes nodes, MappingNode node, String path, Map<String, NodeTuple> entries) {
        this.nodes = nodes;
        this.node = node;
        this.path = path;
        this.entries = entries;
    }

    MappingNode node() {
        return node;
    }

    /** The dotted path of one of this map's keys. */
    String path(String key) {
        return Nodes.child(path, key);
    }

    /** The value of {@code key}, absent when the key is missing or its value is empty. */
    Optional<Node> value(String key) {
        NodeTuple t = entries.get(key);
        if (t == null || Nodes.isNull(t.getValueNode())) {
            return Optional.empty();
        }
        return Optional.of(t.getValueNode());
    }

    /** The node of {@code key} itself (not its value), when given. */
    Optional<Node> keyNode(String key) {
        return Optional.ofNullable(entries.get(key)).map(NodeTuple::getKeyNode);
    }

    /** The value of a required key; {@code hint} says what to write. */
    Node require(String key, String hint) {
        NodeTuple t = entries.get(key);
        if (t == null) {
            String where = path.isEmpty() ? "" : " in " + path;
            throw nodes.error(node, path(key), "missing required key '" + key + "'" + where + "; " + hint);
        }
        if (Nodes.isNull(t.getValueNode())) {
            throw nodes.error(t.getKeyNode(), path(key), "needs a value; " + hint);
        }
        return t.getValueNode();
    }
}
