package dev.kaizen.core.engine;

/** Why a run stopped. */
public enum StopReason {
    EVALUATION_BUDGET("the evaluation budget is spent"),
    TIME_BUDGET("the time budget is spent"),
    TARGET_REACHED("the target score was reached"),
    STOPPED("stopped on request"),
    SEED_FAILED("the seed program does not pass its evaluation"),
    EXHAUSTED("the operators keep proposing programs that were already evaluated, or nothing at all"),
    OPERATORS_FAILED("the operators failed to make a proposal too many times in a row"),
    SPENDING_LIMIT("a spending cap was reached"),
    PROTECTED_FILE_CHANGED("a protected file of the target changed during an evaluation: the sandbox did not contain a candidate");

    private final String text;

    StopReason(String text) {
        this.text = text;
    }

    /** A sentence for people. */
    public String text() {
        return text;
    }
}
