package dev.kaizen.llm.prompt;

/** Counts the tokens a text costs a model; used to fit prompts into a context window. */
@FunctionalInterface
public interface TokenCounter {

    /** The number of tokens of {@code text}, never negative. */
    int count(CharSequence text);

    /**
     * A fast tokenizer-free estimate for byte-pair-encoding tokenizers, leaning high (on source code
     * and English prose it reads 0 to 30% above the cl100k and o200k counts): a run of letters,
     * digits and underscores costs one token per 6 characters (at least one), a run of other symbols
     * one per 2, a line break one together with the indentation after it (one more per 16 spaces),
     * other runs of spaces or tabs one per 16 (a single space none: it joins the next word), and each
     * character from U+0800 up (CJK and similar scripts) one.
     */
    static TokenCounter estimate() {
        return Estimate::count;
    }
}
