/**
 * The worker JVM of Kaizen's Java evaluator: it compiles candidates in memory, loads each in a
 * fresh class loader, runs the project's JUnit 4 and 5 tests and a scoring method, measures time
 * and bytecode cost, checks that the candidate left the JVM as it found it, and answers the host
 * over stdin/stdout with the messages of {@link dev.kaizen.worker.wire}. The entry point is
 * {@link dev.kaizen.worker.Worker}; the types candidates' rewritten bytecode calls into
 * ({@link dev.kaizen.worker.ExitTrap}, {@link dev.kaizen.worker.CostCounter},
 * {@link dev.kaizen.worker.CandidateExit}) are public, everything else is package-private.
 */
package dev.kaizen.worker;
