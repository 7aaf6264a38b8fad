package dev.kaizen.core.operator;

import dev.kaizen.core.program.Code;
import java.util.Objects;

/** A proposed child program and a one-line, human-readable account of the edit. */
public record Proposal(Code code, String description) {

    public Proposal {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(description, "description");
    }
}
