package dev.kaizen.llm;

import java.util.Locale;

/** Who serves a model; each speaks its own wire protocol. */
public enum Provider {
    /** OpenAI, and any server with an OpenAI-compatible {@code /v1/chat/completions} (vLLM, llama.cpp, LM Studio, Ollama's /v1). */
    OPENAI,
    /** Anthropic's Messages API. */
    ANTHROPIC,
    /** Google's Gemini API ({@code generateContent}). */
    GEMINI,
    /** Ollama's native {@code /api/chat}. */
    OLLAMA;

    /** The name used in kaizen.yaml, the ledger and messages: {@code openai}, {@code anthropic}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The provider named {@code id}, case-insensitively. */
    public static Provider of(String id) {
        for (Provider p : values()) {
            if (p.id().equalsIgnoreCase(id.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown provider '" + id + "'; choose one of openai, anthropic, gemini, ollama");
    }
}
