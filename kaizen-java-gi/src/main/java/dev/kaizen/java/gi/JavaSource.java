package dev.kaizen.java.gi;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import java.util.Optional;

/**
 * Java 21 parsing: full parses (comments attributed, tokens kept) for programs that are edited, and
 * a lighter check that an edited file still parses. JavaParser instances are not thread-safe, so
 * each is used under a lock.
 */
final class JavaSource {

    private final JavaParser full;
    private final JavaParser check;

    JavaSource() {
        this.full = new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
        this.check = new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21)
                .setAttributeComments(false));
    }

    /** The parse of {@code text}, or empty when it has any syntax error. */
    Optional<CompilationUnit> parse(String text) {
        ParseResult<CompilationUnit> result = parseResult(text);
        return result.isSuccessful() ? result.getResult() : Optional.empty();
    }

    ParseResult<CompilationUnit> parseResult(String text) {
        synchronized (full) {
            return full.parse(text);
        }
    }

    /** Whether {@code text} is a compilation unit that Java 21 accepts syntactically. */
    boolean parses(String text) {
        synchronized (check) {
            return check.parse(text).isSuccessful();
        }
    }
}
