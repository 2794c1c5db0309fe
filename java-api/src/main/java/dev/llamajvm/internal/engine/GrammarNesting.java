package dev.llamajvm.internal.engine;

import dev.llamajvm.InvalidSamplingException;

/**
 * Bounds how deeply a GBNF grammar nests groups before llama.cpp parses it: its parser recurses
 * once per {@code (} on the calling thread's native stack, and 10,000 levels overflow a 1 MB
 * stack, which kills the JVM. Strings, character classes and comments are skipped as the parser
 * skips them. Chains of rule references are not counted (limit named in the README).
 */
public final class GrammarNesting {

    /** Deepest nesting accepted; 1,000 levels were seen to parse and sample on a 1 MB stack. */
    public static final int MAX_DEPTH = 256;

    private GrammarNesting() {}

    public static void check(String gbnf) {
        int depth = 0;
        for (int i = 0; i < gbnf.length(); i++) {
            char c = gbnf.charAt(i);
            switch (c) {
                case '"' -> i = skipQuoted(gbnf, i, '"');
                case '[' -> i = skipQuoted(gbnf, i, ']');
                case '#' -> i = skipComment(gbnf, i);
                case '(' -> {
                    if (++depth > MAX_DEPTH) {
                        throw new InvalidSamplingException("the grammar nests groups more than " + MAX_DEPTH
                                + " levels deep (at character " + i + "); llama.cpp's parser would overflow the stack");
                    }
                }
                case ')' -> depth = Math.max(0, depth - 1);
                default -> { }
            }
        }
    }

    /** Index of the character closing the literal opened at {@code start}, honouring backslash escapes. */
    private static int skipQuoted(String s, int start, char close) {
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == close) {
                return i;
            }
        }
        return s.length();
    }

    private static int skipComment(String s, int start) {
        int end = s.indexOf('\n', start);
        return end < 0 ? s.length() : end;
    }
}
