/** Reading and checking a target's {@code kaizen.yaml} into a run configuration, and the starter targets of {@code kaizen init}. */
package dev.kaizen.config;
