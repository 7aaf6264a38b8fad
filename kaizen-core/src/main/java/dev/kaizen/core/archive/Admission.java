package dev.kaizen.core.archive;

/**
 * What happened when a candidate was added: the stored candidate (with its sequence number), whether
 * it became the elite of its cell, and whether it is the new overall best.
 */
public record Admission(Candidate candidate, boolean elite, boolean newBest) {}
