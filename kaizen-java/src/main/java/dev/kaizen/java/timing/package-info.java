/**
 * Timing with significance: the one-sided Mann-Whitney U test and the rule that credits a
 * candidate with a faster running time only when the test says it is faster than its parent.
 */
package dev.kaizen.java.timing;
