package dev.kaizen.llm.record;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes key-like strings from error messages before they are written to a cassette. Requests and
 * replies are recorded verbatim (replay needs them exact); error messages come from servers and
 * libraries and may echo a header or a URL with a key in it.
 */
final class Redaction {

    static final String MARK = "[redacted]";

    private static final List<Pattern> SECRET_VALUES = List.of(
            Pattern.compile("\\bsk-[A-Za-z0-9_\\-]{8,}"),
            Pattern.compile("\\bAIza[0-9A-Za-z_\\-]{20,}"),
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}"),
            Pattern.compile("\\bxox[abpr]-[A-Za-z0-9\\-]{10,}"));

    private static final List<Pattern> SECRET_AFTER = List.of(
            Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=\\-]{6,}"),
            Pattern.compile("(?i)((?:x-)?(?:api[_-]?)?key[\"']?\\s*[:=]\\s*[\"']?)[A-Za-z0-9._~+/\\-]{6,}"),
            Pattern.compile("(?i)((?:token|secret|password|authorization)[\"']?\\s*[:=]\\s*[\"']?)[A-Za-z0-9._~+/\\-]{6,}"));

    private Redaction() {
    }

    /** {@code text} with every key-like substring replaced by {@value #MARK}. */
    static String scrub(String text) {
        String out = text;
        for (Pattern p : SECRET_VALUES) {
            out = p.matcher(out).replaceAll(MARK);
        }
        for (Pattern p : SECRET_AFTER) {
            out = p.matcher(out).replaceAll("$1" + MARK);
        }
        return out;
    }
}
