package dev.llamajvm.fuzz.targets;

import com.code_intelligence.jazzer.api.Jazzer;

/**
 * What a fuzz target does with the exceptions it expects (a clear Java exception is the right
 * answer to bad input): each distinct kind of refusal is fed back to the fuzzer as coverage, and
 * printed when replaying. Anything a target does not catch is a finding.
 *
 * <p>Jazzer sees coverage of Java code only; llama.cpp is not instrumented. The refusal messages
 * come from llama.cpp (the errors it logged), so rewarding new messages steers the fuzzer towards
 * new native error paths as well.
 */
final class Outcomes {

    /** Set by the regression tests: print each outcome. */
    private static final boolean VERBOSE = Boolean.getBoolean("llama.jvm.fuzz.verbose");

    private Outcomes() {}

    /** Records that the input was refused with {@code e}; {@code site} tells the call sites apart. */
    static void refused(int site, RuntimeException e) {
        String kind = e.getClass().getSimpleName() + ": " + skeleton(String.valueOf(e.getMessage()));
        Jazzer.exploreState((byte) kind.hashCode(), site);
        if (VERBOSE) {
            System.out.println("[fuzz] refused: " + e.getClass().getName() + ": " + firstLine(e.getMessage()));
        }
    }

    /** Records that the input was accepted. */
    static void accepted(String what) {
        if (VERBOSE) {
            System.out.println("[fuzz] accepted: " + what);
        }
    }

    /** The message without numbers and quoted parts, which vary with the input, not the code path. */
    private static String skeleton(String message) {
        return firstLine(message).replaceAll("'[^']*'|\"[^\"]*\"", "''").replaceAll("[0-9]+", "0");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
