/**
 * Language-model operators: a model reads the parent, its scores and its failures and proposes an
 * edit. Providers (OpenAI and compatible servers, Anthropic, Gemini, Ollama) are reached through
 * LangChain4j; every exchange can be recorded and replayed offline.
 */
package dev.kaizen.llm;
