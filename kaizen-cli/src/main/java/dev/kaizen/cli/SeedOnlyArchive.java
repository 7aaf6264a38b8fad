package dev.kaizen.cli;

import dev.kaizen.core.archive.Admission;
import dev.kaizen.core.archive.Archive;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.program.ProgramId;
import java.util.List;
import java.util.Optional;

/**
 * An archive that offers only the seed as a parent: the "random sampling" baseline, where every
 * proposal is one edit away from the seed. Everything else is delegated, so the best is still kept.
 */
final class SeedOnlyArchive implements Archive {

    private final Archive delegate;

    SeedOnlyArchive(Archive delegate) {
        this.delegate = delegate;
    }

    @Override
    public Admission add(Candidate candidate) {
        return delegate.add(candidate);
    }

    @Override
    public boolean place(ProgramId id, int island) {
        return delegate.place(id, island);
    }

    @Override
    public boolean contains(ProgramId id) {
        return delegate.contains(id);
    }

    @Override
    public Optional<Candidate> find(ProgramId id) {
        return delegate.find(id);
    }

    @Override
    public List<Candidate> elites(int island) {
        return delegate.history(0, 1);
    }

    @Override
    public Optional<Candidate> best() {
        return delegate.best();
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public int islands() {
        return delegate.islands();
    }

    @Override
    public List<Candidate> history(long afterSeq, int limit) {
        return delegate.history(afterSeq, limit);
    }

    @Override
    public void putMeta(String key, String value) {
        delegate.putMeta(key, value);
    }

    @Override
    public Optional<String> meta(String key) {
        return delegate.meta(key);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
