/**
 * Provider clients: {@link dev.kaizen.llm.provider.Providers#client(dev.kaizen.llm.ModelSpec)} builds an
 * {@link dev.kaizen.llm.LlmClient} for OpenAI (and any OpenAI-compatible server), Anthropic, Gemini or
 * Ollama on top of LangChain4j, with LangChain4j's own retries off and {@link dev.kaizen.llm.provider.Retrying}
 * around it. Every failure becomes an {@link dev.kaizen.llm.LlmException} that names the model and the
 * server; keys never appear in messages, logs or {@code toString()}. A server that streams its answer although
 * one reply was asked for has the stream assembled into one reply (OpenAI and compatible servers, Ollama) or
 * refused (Anthropic, Gemini) by {@code StreamedReplies}.
 */
package dev.kaizen.llm.provider;
