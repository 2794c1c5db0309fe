package dev.llamajvm.benchmarks.compare;

/**
 * What every contender of the comparison runs, as llama-bench's pp512 and tg128 measure it: a
 * prompt of exactly {@code promptTokens} tokens (BOS included), then {@code generatedTokens}
 * tokens generated greedily with end-of-generation ignored, on {@code threads} threads.
 * Child processes print one line {@code RESULT pp=<tokens/s> tg=<tokens/s>}.
 */
record Workload(int promptTokens, int generatedTokens, int threads) {

    static final String RESULT = "RESULT";

    /** A text of {@code promptTokens - 1} Llama 3 tokens (BOS makes the rest): "The the the ...". */
    String promptText() {
        return "The" + " the".repeat(promptTokens - 2);
    }

    static Workload fromArgs(String[] args, int offset) {
        return new Workload(Integer.parseInt(args[offset]), Integer.parseInt(args[offset + 1]),
                Integer.parseInt(args[offset + 2]));
    }

    String[] asArgs() {
        return new String[] {String.valueOf(promptTokens), String.valueOf(generatedTokens), String.valueOf(threads)};
    }

    static void printResult(double promptPerSecond, double generatedPerSecond) {
        System.out.printf(java.util.Locale.ROOT, "%s pp=%.4f tg=%.4f%n", RESULT, promptPerSecond, generatedPerSecond);
    }
}
