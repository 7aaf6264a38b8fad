/**
 * Record and replay of model exchanges. A {@link dev.kaizen.llm.record.Cassette} is an append-only
 * JSON-lines file in the run directory with one line per exchange, failures included;
 * {@link dev.kaizen.llm.record.RecordingClient} writes it, and
 * {@link dev.kaizen.llm.record.ReplayingClient} answers from it without any network, so a run can be
 * reproduced, audited and debugged offline.
 */
package dev.kaizen.llm.record;
