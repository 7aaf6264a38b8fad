/**
 * JMH benchmarks of the Java evaluator on a small real project: a warm worker per candidate
 * ({@link dev.kaizen.bench.WarmWorker}) against a cold JVM per candidate
 * ({@link dev.kaizen.bench.ColdJvm}), candidates per second with N workers
 * ({@link dev.kaizen.bench.Throughput}), and a probe of how a worker's memory ages over a thousand
 * candidates ({@link dev.kaizen.bench.RecycleProbe}).
 */
package dev.kaizen.bench;
