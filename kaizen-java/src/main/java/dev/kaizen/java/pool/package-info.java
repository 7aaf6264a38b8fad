/**
 * The host side of the worker JVMs: starting one inside the run's sandbox
 * ({@link dev.kaizen.java.pool.WorkerSandbox}) and speaking the wire protocol with it under hard
 * time limits ({@link dev.kaizen.java.pool.WorkerProcess}), and a pool that keeps them warm, leases
 * them to concurrent evaluations and replaces the ones that must go
 * ({@link dev.kaizen.java.pool.WorkerPool}).
 */
package dev.kaizen.java.pool;
