package dev.llamajvm.internal.engine;

import dev.llamajvm.InvalidSamplingException;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses, before llama.cpp parses a GBNF grammar, what its parser cannot survive:
 * <ul>
 *   <li>groups nested deeper than {@link #MAX_DEPTH}: the parser recurses once per {@code (} on the
 *       calling thread's native stack, and 10,000 levels overflow a 1 MB stack;</li>
 *   <li>a repetition {@code {m,n}} with {@code n < m}: the parser computes {@code n - m} unsigned and
 *       generates rules until memory runs out (found by the grammar fuzz target).</li>
 * </ul>
 * Strings, character classes and comments are skipped as the parser skips them. Chains of rule
 * references are not counted (limit named in the README).
 */
public final class GrammarLimits {

    /** Deepest nesting accepted; 1,000 levels were seen to parse and sample on a 1 MB stack. */
    public static final int MAX_DEPTH = 256;

    /** A bounded repetition as the parser reads it: spaces (and comments, not modelled) around the numbers. */
    private static final Pattern BOUNDED_REPETITION = Pattern.compile("\\{\\s*(\\d+)\\s*,\\s*(\\d+)\\s*}");

    private GrammarLimits() {}

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
                case '{' -> checkRepetition(gbnf, i);
                default -> { }
            }
        }
    }

    private static void checkRepetition(String gbnf, int at) {
        Matcher m = BOUNDED_REPETITION.matcher(gbnf).region(at, gbnf.length());
        if (m.lookingAt() && new BigInteger(m.group(2)).compareTo(new BigInteger(m.group(1))) < 0) {
            throw new InvalidSamplingException("the grammar repeats an item {" + m.group(1) + "," + m.group(2)
                    + "} times (at character " + at + "): the most must not be less than the least");
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
