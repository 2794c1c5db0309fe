package dev.llamajvm.internal.engine;

import java.util.List;

/**
 * A grammar that a chat template's code made for a turn, with the rules llama.cpp's sampler
 * applies to it. Immutable.
 *
 * @param gbnf            the grammar, start rule "root"
 * @param lazy            applies only once a trigger appears (tool calls amid free text)
 * @param triggerPatterns regular expressions over the generated text that switch it on
 * @param triggerTokens   tokens that switch it on
 * @param prefill         tokens the grammar must be walked past first: the assistant header that
 *                        ends the prompt and starts the grammar
 */
public record ChatGrammar(String gbnf, boolean lazy, List<String> triggerPatterns, List<Integer> triggerTokens,
                          List<Integer> prefill) {

    public ChatGrammar {
        triggerPatterns = List.copyOf(triggerPatterns);
        triggerTokens = List.copyOf(triggerTokens);
        prefill = List.copyOf(prefill);
    }
}
