/**
 * Genetic-improvement edits of Java code on its JavaParser tree, GenProg and Astor style: statement
 * delete, copy, replace and swap with fix ingredients from the target, operator, condition and
 * literal mutations, and same-typed expression replacement ({@link dev.kaizen.java.gi.JavaOperators}),
 * plus evolve regions chosen by method name ({@link dev.kaizen.java.gi.JavaRegions}).
 */
package dev.kaizen.java.gi;
