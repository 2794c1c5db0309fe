package dev.llamajvm.internal;

import dev.llamajvm.GenerateOptions;
import dev.llamajvm.InvalidSamplingException;
import dev.llamajvm.Sampling;
import dev.llamajvm.internal.engine.ChatGrammar;

import java.util.Set;

/**
 * What a chat turn adds to plain generation. Immutable.
 *
 * @param grammar        the chat template's grammar for the turn, or null
 * @param shownSpecial   special tokens written out as text in the reply (a tool-call marker such
 *                       as {@code <|python_tag|>} must reach the parser), where others are hidden
 */
public record OutputRules(ChatGrammar grammar, Set<Integer> shownSpecial) {

    public static final OutputRules NONE = new OutputRules(null, Set.of());

    public OutputRules {
        shownSpecial = Set.copyOf(shownSpecial);
    }

    /**
     * Refuses {@code ignoreEos} with a grammar: the one check, for plain and chat calls alike, made
     * before anything is evaluated. A complete grammar allows only end-of-generation tokens, which
     * ignoreEos bans, so no token would be left to pick.
     */
    public void refuseIgnoreEosWithGrammar(GenerateOptions options) {
        boolean grammar = this.grammar != null
                || options.sampling().stages().stream().anyMatch(s -> s instanceof Sampling.Grammar);
        if (options.ignoreEos() && grammar) {
            throw new InvalidSamplingException("ignoreEos cannot be combined with a grammar (Sampling.grammar,"
                    + " Format.json, Format.jsonSchema, Format.grammar or a tool-call grammar): a grammar ends the"
                    + " reply when it is complete; limit the reply's length with maxTokens instead");
        }
    }
}
