package dev.kaizen.core.target;

/** Whether a larger or a smaller value of a metric is better. */
public enum Direction {
    MAXIMIZE,
    MINIMIZE;

    /** The value turned so that larger is always better. */
    public double orient(double value) {
        return this == MAXIMIZE ? value : -value;
    }
}
