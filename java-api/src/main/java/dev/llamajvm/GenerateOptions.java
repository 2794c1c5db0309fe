package dev.llamajvm;

import java.util.List;

/**
 * How one reply is generated. Immutable: each method returns a changed copy.
 *
 * @param maxTokens   most tokens to generate
 * @param stopStrings generation stops before the first of these appears (it is not part of the reply)
 * @param ignoreEos   never end on an end-of-generation token: like llama.cpp's --ignore-eos, such
 *                    tokens cannot be picked at all. Not with a grammar (a grammar, JSON format or
 *                    tool call ends the reply when complete): such a call throws
 *                    {@link InvalidSamplingException}; limit the length with maxTokens instead
 * @param sampling    how tokens are chosen
 */
public record GenerateOptions(int maxTokens, List<String> stopStrings, boolean ignoreEos, Sampling sampling) {

    public GenerateOptions {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must not be negative: " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings);
        if (stopStrings.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("a stop string must not be empty");
        }
    }

    /** Up to 256 tokens, greedy, no stop strings. */
    public static GenerateOptions defaults() {
        return new GenerateOptions(256, List.of(), false, Sampling.greedy());
    }

    public GenerateOptions maxTokens(int tokens) {
        return new GenerateOptions(tokens, stopStrings, ignoreEos, sampling);
    }

    public GenerateOptions stopStrings(String... stops) {
        return new GenerateOptions(maxTokens, List.of(stops), ignoreEos, sampling);
    }

    public GenerateOptions ignoreEos(boolean ignore) {
        return new GenerateOptions(maxTokens, stopStrings, ignore, sampling);
    }

    public GenerateOptions sampling(Sampling chain) {
        return new GenerateOptions(maxTokens, stopStrings, ignoreEos, chain);
    }
}
