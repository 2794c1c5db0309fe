package dev.llamajvm.internal.chat;

import dev.llamajvm.ToolCall;

import java.util.List;

/**
 * A reply split by llama.cpp's chat parser. Immutable.
 *
 * @param content   the text meant for the reader
 * @param reasoning the model's reasoning ("" if none)
 * @param toolCalls the tool calls, with ids
 * @param note      why the reply did not parse and was kept whole as content; null when it parsed
 */
public record ParsedOutput(String content, String reasoning, List<ToolCall> toolCalls, String note) {

    public ParsedOutput {
        toolCalls = List.copyOf(toolCalls);
    }
}
