/**
 * Durable storage for a Kaizen run: the SQLite program archive ({@link dev.kaizen.store.SqliteArchive})
 * and the hash-chained JSON Lines audit ledger ({@link dev.kaizen.store.JsonlLedger}).
 */
package dev.kaizen.store;
