package dev.llamajvm.internal.engine;

/** A llama_context in embeddings mode. Used by one thread at a time. */
public interface NativeEmbedder extends AutoCloseable {

    /** Width of an embedding. */
    int dimension();

    /** Most tokens one call may hold in all. */
    int batchTokens();

    /** Most texts one call may hold. */
    int maxSequences();

    /** Whether the context pools (false: one vector per token). */
    boolean pooled();

    /** One pooled, unnormalised vector per input; the inputs must fit one call. */
    float[][] embedPooled(int[][] inputs);

    /** One unnormalised vector per token of the input. */
    float[][] embedTokens(int[] input);

    @Override
    void close();
}
