/**
 * The command evaluator: runs any language's evaluation command on a materialised copy of each
 * candidate and turns its exit code and JSON result into an {@link dev.kaizen.core.eval.Evaluation}.
 */
package dev.kaizen.eval;
