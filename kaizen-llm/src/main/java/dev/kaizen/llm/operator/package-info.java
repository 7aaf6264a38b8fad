/** The language-model operators and the session of clients, bandit, prompts and insights they share in one run. */
package dev.kaizen.llm.operator;
