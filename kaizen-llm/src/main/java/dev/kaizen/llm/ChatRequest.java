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
 * @param proposal        which proposal asks (empty when none): never sent to the model, it keeps the
 *                        identical prompts of different proposals apart in a cassette, so a replay
 *                        gives each proposal its own recorded reply whatever order they were made in
 */
public record ChatRequest(String system, String user, int maxOutputTokens, double temperature, String proposal) {

    public ChatRequest {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(proposal, "proposal");
        if (maxOutputTokens < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be positive, got " + maxOutputTokens);
        }
    }

    /** A request no proposal is named in. */
    public ChatRequest(String system, String user, int maxOutputTokens, double temperature) {
        this(system, user, maxOutputTokens, temperature, "");
    }

    /** The same request, asked by {@code proposal}. */
    public ChatRequest forProposal(String proposal) {
        return new ChatRequest(system, user, maxOutputTokens, temperature, proposal);
    }

    /** SHA-256 over the model label and every field (the proposal only when there is one): the key of a recorded exchange. */
    public String hash(String modelLabel) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            String[] parts = proposal.isEmpty()
                    ? new String[] {modelLabel, system, user, Integer.toString(maxOutputTokens), Double.toString(temperature)}
                    : new String[] {modelLabel, system, user, Integer.toString(maxOutputTokens), Double.toString(temperature), proposal};
            for (String part : parts) {
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
