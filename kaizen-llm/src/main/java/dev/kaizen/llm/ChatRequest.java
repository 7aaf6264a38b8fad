package dev.kaizen.llm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One request to a model: a system message and a user message.
 *
 * @param system          instructions (the edit format, the rules)
 * @param user            the task, the parent, its scores and feedback, inspirations
 * @param maxOutputTokens the most tokens the reply may have
 * @param temperature     sampling temperature
 */
public record ChatRequest(String system, String user, int maxOutputTokens, double temperature) {

    public ChatRequest {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
        if (maxOutputTokens < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be positive, got " + maxOutputTokens);
        }
    }

    /** SHA-256 over the model label and every field: the key of a recorded exchange. */
    public String hash(String modelLabel) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {modelLabel, system, user, Integer.toString(maxOutputTokens), Double.toString(temperature)}) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                d.update((byte) (b.length >>> 24));
                d.update((byte) (b.length >>> 16));
                d.update((byte) (b.length >>> 8));
                d.update((byte) b.length);
                d.update(b);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
