package dev.llamajvm;

import java.util.List;
import java.util.Objects;

/**
 * One chat message. Immutable.
 *
 * @param role       "system", "user", "assistant" or "tool"
 * @param content    its text
 * @param toolCalls  the tool calls an assistant message made (empty otherwise)
 * @param toolCallId for a "tool" message: the id of the call it answers (may be null)
 * @param toolName   for a "tool" message: the tool's name (may be null)
 * @param media      images and audio the message carries, read by the chat's {@link Projector}
 */
public record Message(String role, String content, List<ToolCall> toolCalls, String toolCallId, String toolName,
                      List<Media> media) {

    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        toolCalls = List.copyOf(toolCalls);
        media = List.copyOf(media);
    }

    /** A message without media. */
    public Message(String role, String content, List<ToolCall> toolCalls, String toolCallId, String toolName) {
        this(role, content, toolCalls, toolCallId, toolName, List.of());
    }

    /** A message with text only. */
    public Message(String role, String content) {
        this(role, content, List.of(), null, null);
    }

    /**
     * A user message with images (or audio). Where they go: at the projector's
     * {@link Projector#marker() markers} in {@code content}, one per medium, or, without markers,
     * all in front of the text.
     */
    public static Message user(String content, Media... media) {
        return new Message("user", content, List.of(), null, null, List.of(media));
    }

    /** Whether the message carries images or audio. */
    public boolean hasMedia() {
        return !media.isEmpty();
    }

    public static Message system(String content) { return new Message("system", content); }

    public static Message user(String content) { return new Message("user", content); }

    public static Message assistant(String content) { return new Message("assistant", content); }

    /** An assistant message that called tools. */
    public static Message assistant(String content, List<ToolCall> toolCalls) {
        return new Message("assistant", content, toolCalls, null, null);
    }

    /** The result of a tool call, to send back to the model. */
    public static Message toolResult(ToolCall call, String result) {
        return new Message("tool", result, List.of(), call.id(), call.name());
    }
}
