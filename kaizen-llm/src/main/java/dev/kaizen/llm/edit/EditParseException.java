package dev.kaizen.llm.edit;

/** A reply that does not follow its edit format; the message says where (reply line) and what. */
public final class EditParseException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public EditParseException(String message) {
        super(message);
    }
}
