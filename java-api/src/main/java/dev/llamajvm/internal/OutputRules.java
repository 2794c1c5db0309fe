package dev.llamajvm.internal;

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
}
