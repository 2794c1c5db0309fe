package dev.llamajvm.internal.engine;

/**
 * A llama_context: the KV cache of one sequence and the compute buffers. Used by one thread at a
 * time (the public session enforces it), except {@link #setAbortCheck}'s
 * check, which any thread may trigger.
 */
public interface NativeContext extends AutoCloseable {

    int contextSize();

    /**
     * Evaluates {@code tokens[from, from + count)} after what the cache holds, in batches.
     *
     * @return true when done, false when the abort check stopped it (nothing of the call is kept)
     * @throws dev.llamajvm.InferenceException when llama.cpp fails
     */
    boolean decode(int[] tokens, int from, int count);

    /**
     * Evaluates one media span of {@code prompt} (encoding it with the prompt's projector) right
     * after what the cache holds, which must end at the span's start.
     *
     * @return true when done, false when the abort check stopped it (nothing of the span is kept)
     * @throws dev.llamajvm.InferenceException when libmtmd or llama.cpp fails
     */
    boolean decodeMedia(NativePrompt prompt, MediaSpan span);

    /** How many tokens the KV cache holds. */
    int cachedTokens();

    /** Drops cached tokens from {@code position} on. */
    void truncate(int position);

    /** Called during evaluation, maybe from ggml's threads; true aborts. Must not throw. */
    void setAbortCheck(java.util.function.BooleanSupplier check);

    /** Writes the KV state and the given tokens to a file (llama_state_save_file). */
    void saveState(java.nio.file.Path file, int[] tokens);

    /** Reads a state file written by {@link #saveState}; returns its tokens. */
    int[] loadState(java.nio.file.Path file);

    @Override
    void close();
}
