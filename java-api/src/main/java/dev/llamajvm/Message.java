package dev.llamajvm;

import java.util.Objects;

/**
 * One chat message. Immutable.
 *
 * @param role    "system", "user", "assistant" or "tool"
 * @param content its text
 */
public record Message(String role, String content) {

    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static Message system(String content) { return new Message("system", content); }

    public static Message user(String content) { return new Message("user", content); }

    public static Message assistant(String content) { return new Message("assistant", content); }
}
