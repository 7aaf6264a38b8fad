/**
 * The java evaluator: evaluates candidates of a Java project in a pool of warm worker JVMs,
 * configured by {@link dev.kaizen.java.JavaSettings}, with the project's classpath resolved by
 * Maven or given explicitly.
 */
package dev.kaizen.java;
