package dev.kaizen.llm.prompt;

/** The arithmetic of {@link TokenCounter#estimate()}. */
final class Estimate {

    private static final byte OTHER = 0;
    private static final byte WORD = 1;
    private static final byte BLANK = 2;
    private static final byte NEWLINE = 3;
    private static final byte SYMBOL = 4;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = Character.isLetterOrDigit(c) || c == '_' ? WORD : c == ' ' || c == '\t' ? BLANK : c == '\n' || c == '\r' ? NEWLINE : SYMBOL;
        }
    }

    private Estimate() {}

    private static byte kind(char c) {
        if (c < 128) {
            return ASCII[c];
        }
        if (c >= 0x0800) {
            return OTHER;
        }
        return Character.isLetterOrDigit(c) ? WORD : SYMBOL;
    }

    static int count(CharSequence text) {
        String s = text.toString();
        int n = s.length();
        long tokens = 0;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            byte k = kind(c);
            int j = i + 1;
            switch (k) {
                case WORD -> {
                    while (j < n && kind(s.charAt(j)) == WORD) {
                        j++;
                    }
                    tokens += (j - i + 5) / 6;
                }
                case NEWLINE -> {
                    tokens++;
                    if (c == '\r' && j < n && s.charAt(j) == '\n') {
                        j++;
                    }
                    int b = j;
                    while (j < n && kind(s.charAt(j)) == BLANK) {
                        j++;
                    }
                    if (j > b) {
                        tokens += (j - b - 1) / 16;
                    }
                }
                case BLANK -> {
                    while (j < n && kind(s.charAt(j)) == BLANK) {
                        j++;
                    }
                    tokens += j - i == 1 ? 0 : (j - i + 15) / 16;
                }
                case SYMBOL -> {
                    while (j < n && kind(s.charAt(j)) == SYMBOL) {
                        j++;
                    }
                    tokens += (j - i + 1) / 2;
                }
                default -> tokens++;
            }
            i = j;
        }
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }
}
