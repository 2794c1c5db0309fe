package dev.llamajvm;

/**
 * How to create a session's llama.cpp context. Immutable: each method returns a changed copy.
 *
 * @param contextSize   tokens the context holds (prompt + history + reply); {@link #AUTO_CONTEXT}
 *                      (the default) takes the smaller of 4,096 and the model's trained length;
 *                      0 takes the trained length, which can be very large (128K for Llama 3.2).
 *                      {@link Session#contextSize()} says what a session got
 * @param batchSize     most tokens handed to llama.cpp per evaluation call
 * @param ubatchSize    most tokens computed at once inside a call
 * @param threads       threads for generating (one token at a time)
 * @param batchThreads  threads for evaluating prompts
 * @param flashAttention flash attention: AUTO lets llama.cpp decide
 * @param keyCacheType  element type of the KV cache's keys
 * @param valueCacheType element type of the KV cache's values
 */
public record SessionOptions(int contextSize, int batchSize, int ubatchSize, int threads, int batchThreads,
                             FlashAttention flashAttention, CacheType keyCacheType, CacheType valueCacheType) {

    /**
     * A {@link #contextSize()} that fits the model: the smaller of 4,096 tokens and its trained
     * length (rounded down to a multiple of 256, which llama.cpp would pad it up to), so no session
     * runs past what the model was trained on unless asked to.
     */
    public static final int AUTO_CONTEXT = -1;

    /** The most {@link #AUTO_CONTEXT} gives, and what it gives a model whose trained length is unknown. */
    private static final int AUTO_CONTEXT_LIMIT = 4096;

    /** llama.cpp pads every context up to a multiple of this (llama_context's constructor). */
    private static final int CONTEXT_PADDING = 256;

    public SessionOptions {
        // llama.cpp asserts (aborting the JVM) on some impossible sizes: refuse them here.
        if (contextSize < AUTO_CONTEXT || batchSize < 1 || ubatchSize < 1 || threads < 1 || batchThreads < 1) {
            throw new IllegalArgumentException("sizes and thread counts must be positive (contextSize may be 0 or AUTO_CONTEXT): "
                    + contextSize + ", " + batchSize + ", " + ubatchSize + ", " + threads + ", " + batchThreads);
        }
        java.util.Objects.requireNonNull(flashAttention, "flashAttention");
        java.util.Objects.requireNonNull(keyCacheType, "keyCacheType");
        java.util.Objects.requireNonNull(valueCacheType, "valueCacheType");
    }

    /** Flash attention use. */
    public enum FlashAttention { AUTO, ENABLED, DISABLED }

    /** KV cache element types (ggml types). */
    public enum CacheType { F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, IQ4_NL }

    /**
     * {@link #AUTO_CONTEXT} (up to 4,096 tokens of context, no more than the model was trained on),
     * batches of 512, as many threads as cores up to 8, F16 cache.
     */
    public static SessionOptions defaults() {
        int threads = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        return new SessionOptions(AUTO_CONTEXT, 512, 512, threads, threads, FlashAttention.AUTO, CacheType.F16, CacheType.F16);
    }

    /**
     * These options for a model trained with {@code trainedContext} tokens: {@link #AUTO_CONTEXT}
     * becomes a size; any other is kept.
     */
    public SessionOptions forModel(int trainedContext) {
        if (contextSize != AUTO_CONTEXT) {
            return this;
        }
        if (trainedContext <= 0) {
            return contextSize(AUTO_CONTEXT_LIMIT);
        }
        int fitted = Math.min(AUTO_CONTEXT_LIMIT, trainedContext);
        // Rounded down to llama.cpp's padding, which would otherwise take it past the trained length.
        return contextSize(fitted >= CONTEXT_PADDING ? fitted - fitted % CONTEXT_PADDING : fitted);
    }

    public SessionOptions contextSize(int tokens) {
        return new SessionOptions(tokens, batchSize, ubatchSize, threads, batchThreads, flashAttention, keyCacheType, valueCacheType);
    }

    public SessionOptions batchSize(int tokens) {
        return new SessionOptions(contextSize, tokens, ubatchSize, threads, batchThreads, flashAttention, keyCacheType, valueCacheType);
    }

    public SessionOptions ubatchSize(int tokens) {
        return new SessionOptions(contextSize, batchSize, tokens, threads, batchThreads, flashAttention, keyCacheType, valueCacheType);
    }

    /** Sets both the generation and the batch thread counts. */
    public SessionOptions threads(int count) {
        return new SessionOptions(contextSize, batchSize, ubatchSize, count, count, flashAttention, keyCacheType, valueCacheType);
    }

    public SessionOptions batchThreads(int count) {
        return new SessionOptions(contextSize, batchSize, ubatchSize, threads, count, flashAttention, keyCacheType, valueCacheType);
    }

    public SessionOptions flashAttention(FlashAttention mode) {
        return new SessionOptions(contextSize, batchSize, ubatchSize, threads, batchThreads, mode, keyCacheType, valueCacheType);
    }

    public SessionOptions cacheTypes(CacheType keys, CacheType values) {
        return new SessionOptions(contextSize, batchSize, ubatchSize, threads, batchThreads, flashAttention, keys, values);
    }
}
