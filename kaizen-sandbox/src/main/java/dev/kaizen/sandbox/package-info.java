/**
 * Containment for code nobody has read: every candidate's process tree runs inside bubblewrap
 * (no network, read-only system, one writable directory, a private /tmp) under limits on
 * memory, processes, CPU time and bytes written, enforced by cgroups where the machine allows
 * and by rlimits otherwise. {@link dev.kaizen.sandbox.Sandbox#detect()} finds what this machine
 * can do and says so in an {@link dev.kaizen.sandbox.Isolation}.
 */
package dev.kaizen.sandbox;
