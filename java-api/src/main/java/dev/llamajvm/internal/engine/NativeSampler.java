package dev.llamajvm.internal.engine;

/** A llama_sampler chain. Used by one thread at a time. */
public interface NativeSampler extends AutoCloseable {

    /**
     * Samples a token from the last output of {@code context} and accepts it into the chain. Throws
     * {@link dev.llamajvm.InferenceException} when the stages leave no token to pick (a grammar whose
     * every allowed token is banned); the context is untouched, so its session stays usable.
     */
    int sample(NativeContext context);

    /** Feeds a token the chain did not sample (a prompt token, for penalties). */
    void accept(int token);

    @Override
    void close();
}
