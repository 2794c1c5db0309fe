package dev.llamajvm.internal.engine;

/** A llama_sampler chain. Used by one thread at a time. */
public interface NativeSampler extends AutoCloseable {

    /** Samples a token from the last output of {@code context} and accepts it into the chain. */
    int sample(NativeContext context);

    /** Feeds a token the chain did not sample (a prompt token, for penalties). */
    void accept(int token);

    @Override
    void close();
}
