package dev.kaizen.llm.edit;

/** How a model states its edit; decides the system prompt and the parser of the reply. */
public enum EditFormat {
    /** Search/replace blocks against the parent's regions ({@link SearchReplace}). */
    DIFF,
    /** The new text of each changed region ({@link FullRewrite}). */
    REWRITE,
    /** Two parents shown, the reply rewrites regions of the first ({@link FullRewrite}). */
    CROSSOVER
}
