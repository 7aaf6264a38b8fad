package dev.kaizen.core.target;

/**
 * Reads one rendered evolvable file back into fixed text and holes, the way its target found its
 * regions in the first place. The guard renders every proposal and reads it back with the
 * target's reader: a proposal whose text would move code out of its regions (a marker inside a
 * region, a method body closed early) does not read back the same and is refused.
 *
 * <p>{@link #MARKERS} is {@link Blueprint#parse}. It cannot read regions selected by method name
 * (a Java source without markers reads back as one whole-file region), so with it the guard checks
 * such files by their brace balance only; a blueprint built from method selections can carry a
 * reader that reselects the methods ({@link Blueprint#withReader}).
 */
@FunctionalInterface
public interface RegionReader {

    /** The {@code EVOLVE-BLOCK} marker reader, {@link Blueprint#parse}. */
    RegionReader MARKERS = Blueprint::parse;

    /**
     * Splits {@code text}, the full text of the file at {@code path}, into fixed text and holes.
     *
     * @throws IllegalArgumentException when the text cannot be read (the message says why)
     */
    Blueprint.SourceFile read(String path, String text);
}
