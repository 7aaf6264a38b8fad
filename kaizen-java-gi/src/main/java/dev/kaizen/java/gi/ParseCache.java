package dev.kaizen.java.gi;

import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.ProgramId;
import dev.kaizen.core.target.Blueprint;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed views of the last few parents, least recently used evicted first. Operators run many
 * times on one parent, so parsing it once saves most of the work of a proposal. An entry is only
 * reused for the same blueprint instance. The parsed seed of each blueprint is kept beside them, as
 * the target's original program, for ingredients.
 */
final class ParseCache {

    static final int DEFAULT_CAPACITY = 16;
    static final int MAX_ORIGINALS = 4;

    private final int capacity;
    private final JavaSource source = new JavaSource();
    private final LinkedHashMap<ProgramId, ParsedProgram> entries;
    private final java.util.ArrayDeque<ParsedProgram> originals = new java.util.ArrayDeque<>();

    ParseCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<ProgramId, ParsedProgram> eldest) {
                return size() > ParseCache.this.capacity;
            }
        };
    }

    synchronized ParsedProgram get(Blueprint blueprint, Code code) {
        ProgramId id = code.id();
        ParsedProgram p = entries.get(id);
        if (p == null || p.blueprint() != blueprint) {
            p = ParsedProgram.of(blueprint, code, source);
            Code seed = blueprint.seed();
            p.original(seed.equals(code) ? p : original(blueprint, seed));
            entries.put(id, p);
        }
        return p;
    }

    /** The parsed seed of a blueprint, kept apart from the parents so that it is not evicted by them. */
    private ParsedProgram original(Blueprint blueprint, Code seed) {
        for (ParsedProgram o : originals) {
            if (o.blueprint() == blueprint) {
                return o;
            }
        }
        ParsedProgram o = ParsedProgram.of(blueprint, seed, source);
        originals.addFirst(o);
        if (originals.size() > MAX_ORIGINALS) {
            originals.removeLast();
        }
        return o;
    }

    synchronized int size() {
        return entries.size();
    }
}
