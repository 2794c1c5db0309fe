package dev.llamajvm;

/**
 * How to open a chat: the session's context, an optional system prompt, the default generation
 * options of each reply, and the projector that reads the images (or audio) of its messages, if
 * any. Immutable: each method returns a changed copy.
 */
public record ChatOptions(SessionOptions session, String systemPrompt, GenerateOptions generate, Projector projector) {

    /** {@link SessionOptions#defaults()}, no system prompt, {@link GenerateOptions#defaults()}, no projector. */
    public static ChatOptions defaults() {
        return new ChatOptions(SessionOptions.defaults(), null, GenerateOptions.defaults(), null);
    }

    public ChatOptions contextSize(int tokens) {
        return new ChatOptions(session.contextSize(tokens), systemPrompt, generate, projector);
    }

    public ChatOptions session(SessionOptions options) {
        return new ChatOptions(options, systemPrompt, generate, projector);
    }

    public ChatOptions system(String prompt) {
        return new ChatOptions(session, prompt, generate, projector);
    }

    public ChatOptions generate(GenerateOptions options) {
        return new ChatOptions(session, systemPrompt, options, projector);
    }

    /** The projector for media in messages; it must belong to the chat's model. */
    public ChatOptions projector(Projector mediaProjector) {
        return new ChatOptions(session, systemPrompt, generate, mediaProjector);
    }
}
