package dev.llamajvm.internal.chat;

import dev.llamajvm.internal.OutputRules;

import java.util.List;

/**
 * A conversation rendered for one turn by llama.cpp's chat code: the prompt, the rules for
 * generating the reply, and what parsing the reply needs. Immutable.
 *
 * @param prompt           the prompt text, ending with the assistant's header
 * @param format           llama.cpp's chat format id (for parsing)
 * @param parser           the serialized parser for the reply (for parsing)
 * @param generationPrompt the assistant header the prompt ends with (for parsing)
 * @param rules            grammar and special tokens for generation
 * @param additionalStops  stop strings the format needs
 * @param parses           whether the reply needs parsing at all (tools or reasoning in play)
 */
public record PreparedTurn(String prompt, int format, String parser, String generationPrompt, OutputRules rules,
                           List<String> additionalStops, boolean parses) {

    public PreparedTurn {
        additionalStops = List.copyOf(additionalStops);
    }
}
