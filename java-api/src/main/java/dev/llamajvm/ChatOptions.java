package dev.llamajvm;

/**
 * How to open a chat: the session's context, an optional system prompt, and the default generation
 * options of each reply. Immutable: each method returns a changed copy.
 */
public record ChatOptions(SessionOptions session, String systemPrompt, GenerateOptions generate) {

    /** {@link SessionOptions#defaults()}, no system prompt, {@link GenerateOptions#defaults()}. */
    public static ChatOptions defaults() {
        return new ChatOptions(SessionOptions.defaults(), null, GenerateOptions.defaults());
    }

    public ChatOptions contextSize(int tokens) {
        return new ChatOptions(session.contextSize(tokens), systemPrompt, generate);
    }

    public ChatOptions session(SessionOptions options) {
        return new ChatOptions(options, systemPrompt, generate);
    }

    public ChatOptions system(String prompt) {
        return new ChatOptions(session, prompt, generate);
    }

    public ChatOptions generate(GenerateOptions options) {
        return new ChatOptions(session, systemPrompt, options);
    }
}
