package dev.llamajvm;

import java.util.List;

/**
 * A finished reply. Immutable.
 *
 * @param text              the generated text (complete UTF-8 characters; stop string excluded); in a
 *                          chat, the reply's content, without tool calls and reasoning
 * @param tokens            the generated token ids, in order
 * @param stopReason        why generation ended
 * @param promptTokens      prompt tokens evaluated for this reply
 * @param cachedPromptTokens prompt tokens reused from the KV cache instead of evaluated
 * @param timings           how fast it went
 * @param toolCalls         the tools the model called (chat turns with tools), in order
 * @param reasoning         the model's reasoning, where its chat format separates it ("" if none)
 * @param parseNote         why the reply could not be parsed in the model's chat format and was
 *                          kept as plain content; null when it parsed (or was not parsed)
 */
public record Reply(String text, List<Integer> tokens, StopReason stopReason, int promptTokens,
                    int cachedPromptTokens, Timings timings, List<ToolCall> toolCalls, String reasoning,
                    String parseNote) {

    public Reply {
        tokens = List.copyOf(tokens);
        toolCalls = List.copyOf(toolCalls);
        java.util.Objects.requireNonNull(reasoning, "reasoning");
    }

    /** A reply of plain text: no tool calls, no reasoning. */
    public Reply(String text, List<Integer> tokens, StopReason stopReason, int promptTokens,
                 int cachedPromptTokens, Timings timings) {
        this(text, tokens, stopReason, promptTokens, cachedPromptTokens, timings, List.of(), "", null);
    }

    /** This reply with its text replaced by parsed chat content, tool calls and reasoning. */
    Reply parsed(String content, List<ToolCall> calls, String reasoningText, String note) {
        return new Reply(content, tokens, stopReason, promptTokens, cachedPromptTokens, timings, calls,
                reasoningText, note);
    }

    /** Generated token count. */
    public int generatedTokens() {
        return tokens.size();
    }

    /** Why generation ended. */
    public enum StopReason {
        /** The model produced an end-of-generation token. */
        END_OF_GENERATION,
        /** The token limit of {@link GenerateOptions#maxTokens()} was reached. */
        MAX_TOKENS,
        /** A stop string appeared. */
        STOP_STRING,
        /** The context has no room for another token. */
        CONTEXT_FULL,
        /** {@link Session#cancel()} or an interrupt stopped it. */
        CANCELLED
    }

    /**
     * Wall-clock timings as the caller experiences them, like llama.cpp's "prompt eval" and "eval".
     */
    public record Timings(double promptMillis, double generationMillis, int promptTokens, int generatedTokens) {

        public double promptTokensPerSecond() {
            return promptMillis > 0 ? promptTokens * 1000.0 / promptMillis : 0;
        }

        public double generationTokensPerSecond() {
            return generationMillis > 0 ? generatedTokens * 1000.0 / generationMillis : 0;
        }
    }
}
