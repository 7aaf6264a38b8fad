package dev.kaizen.store;

import dev.kaizen.core.archive.Archive;
import dev.kaizen.core.archive.MemoryArchive;

/** The in-memory archive from the core keeps the archive contract (the reference for the SQLite one). */
class MemoryArchiveTest extends ArchiveContract {

    @Override
    protected Archive newArchive(int islands) {
        return new MemoryArchive(islands);
    }
}
