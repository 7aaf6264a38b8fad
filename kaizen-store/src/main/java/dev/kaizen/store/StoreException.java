package dev.kaizen.store;

/**
 * The storage underneath an archive or ledger failed: an I/O error, a full disk, a file that is not
 * (or no longer) what it should be. The message names the file and the operation. Not retriable by
 * repeating the same call; a person has to look at the file or the disk.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
