package dev.kaizen.core.guard;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Checks that a piece of Java, such as a method body, is self-contained: its braces, parentheses
 * and brackets balance outside string, character and text-block literals and comments, and it
 * leaves no literal or comment open. A body that fails this could close its method early and add
 * code outside its region. Unicode escapes (a backslash, {@code u} and four hex digits) are translated first, as javac does.
 * This is a lexer, not a parser: a body that passes may still not compile, but it cannot reach past
 * its closing brace.
 */
public final class JavaBodies {

    /**
     * Why a body is not self-contained.
     *
     * @param detail      what is wrong and where, e.g. {@code unbalanced '}' at line 3}
     * @param closesBody  whether the text closes the enclosing body (an unmatched {@code '}'})
     */
    public record Problem(String detail, boolean closesBody) {}

    private JavaBodies() {}

    /** The first problem in {@code text}, or empty when it is self-contained. */
    public static Optional<Problem> check(String text) {
        String s = translateUnicodeEscapes(text);
        Deque<int[]> open = new ArrayDeque<>(); // {char, line}
        int line = 1;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int startLine = line;
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    return problem("unterminated comment opened at line " + startLine);
                }
                line += newlines(s, i, end + 2);
                i = end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                int startLine = line;
                int j = i + 3;
                int end = -1;
                while (j < n) {
                    char d = s.charAt(j);
                    if (d == '\\') {
                        j += 2;
                    } else if (s.startsWith("\"\"\"", j)) {
                        end = j + 3;
                        break;
                    } else {
                        j++;
                    }
                }
                if (end < 0) {
                    return problem("unterminated text block opened at line " + startLine);
                }
                line += newlines(s, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                String kind = c == '"' ? "string" : "character";
                int j = i + 1;
                while (true) {
                    if (j >= n || s.charAt(j) == '\n' || s.charAt(j) == '\r') {
                        return problem("unterminated " + kind + " literal at line " + line);
                    }
                    char d = s.charAt(j);
                    if (d == '\\') {
                        j += 2;
                    } else if (d == c) {
                        break;
                    } else {
                        j++;
                    }
                }
                i = j + 1;
            } else if (c == '{' || c == '(' || c == '[') {
                open.push(new int[] {c, line});
                i++;
            } else if (c == '}' || c == ')' || c == ']') {
                if (open.isEmpty()) {
                    return Optional.of(new Problem("unbalanced '" + c + "' at line " + line, c == '}'));
                }
                int[] top = open.pop();
                char expected = closing((char) top[0]);
                if (c != expected) {
                    return Optional.of(new Problem("'" + c + "' at line " + line + " closes the '" + (char) top[0] + "' opened at line " + top[1],
                            c == '}' && !containsBrace(open)));
                }
                i++;
            } else {
                i++;
            }
        }
        if (!open.isEmpty()) {
            int[] first = open.peekLast();
            return problem("'" + (char) first[0] + "' opened at line " + first[1] + " is never closed");
        }
        return Optional.empty();
    }

    private static Optional<Problem> problem(String detail) {
        return Optional.of(new Problem(detail, false));
    }

    private static boolean containsBrace(Deque<int[]> open) {
        return open.stream().anyMatch(o -> o[0] == '{');
    }

    private static char closing(char c) {
        return switch (c) {
            case '{' -> '}';
            case '(' -> ')';
            default -> ']';
        };
    }

    private static int newlines(String s, int from, int to) {
        int count = 0;
        for (int k = from; k < to; k++) {
            if (s.charAt(k) == '\n') {
                count++;
            }
        }
        return count;
    }

    /**
     * Replaces unicode escapes (a backslash, one or more {@code u}, four hex digits) whose backslash is not
     * itself escaped by the character they stand for, as the first step of javac's lexer does.
     * Malformed escapes are left as they are (javac rejects them).
     */
    static String translateUnicodeEscapes(String text) {
        if (text.indexOf("\\u") < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int backslashes = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && backslashes % 2 == 0 && i + 1 < text.length() && text.charAt(i + 1) == 'u') {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) == 'u') {
                    j++;
                }
                if (j + 4 <= text.length() && isHex(text, j, j + 4)) {
                    out.append((char) Integer.parseInt(text.substring(j, j + 4), 16));
                    i = j + 4;
                    backslashes = 0;
                    continue;
                }
            }
            backslashes = c == '\\' ? backslashes + 1 : 0;
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static boolean isHex(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (Character.digit(s.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
