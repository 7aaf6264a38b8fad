/**
 * The messages between the Java evaluator and its worker JVMs, and their binary framing. The
 * worker reads {@link dev.kaizen.worker.wire.Setup} then any number of
 * {@link dev.kaizen.worker.wire.EvaluateRequest}s from stdin and answers each on the stdout it
 * had at start; candidates' own printing is captured separately.
 */
package dev.kaizen.worker.wire;
