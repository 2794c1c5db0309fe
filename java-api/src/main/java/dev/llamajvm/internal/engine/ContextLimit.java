package dev.llamajvm.internal.engine;

import dev.llamajvm.LlamaException;

import java.util.Locale;

/**
 * The largest context llama-jvm asks llama.cpp for. Past it, sizes are refused before llama.cpp
 * sees them: llama.cpp fills in bookkeeping for every cell of the cache (its position, shift and
 * sequence set, about 48 bytes) before it allocates the cache itself, so an absurd size costs that
 * much real memory before failing: 96 GiB for 2^31 tokens, which a machine that overcommits grants,
 * and which its OOM killer then takes back by ending the JVM. No model is trained on more than this.
 */
public final class ContextLimit {

    /** 16,777,216 tokens. */
    public static final int MAX_TOKENS = 1 << 24;

    private static final long BOOKKEEPING_BYTES_PER_TOKEN = 48;

    private ContextLimit() {}

    /**
     * @param requested the session's context size; 0 for the model's trained length
     * @param trained   the model's trained context length (llama_model_n_ctx_train)
     * @throws LlamaException if the context would be larger than {@link #MAX_TOKENS}
     */
    public static void check(int requested, int trained) {
        long tokens = requested != 0 ? Integer.toUnsignedLong(requested) : Integer.toUnsignedLong(trained);
        if (tokens > MAX_TOKENS) {
            throw new LlamaException(String.format(Locale.ROOT, "a context of %d tokens%s is more than llama-jvm asks "
                    + "llama.cpp for (%d): its bookkeeping alone would take %.1f GiB before the cache is allocated",
                    tokens, requested == 0 ? " (the model's trained length, asked for with contextSize 0)" : "",
                    MAX_TOKENS, tokens * BOOKKEEPING_BYTES_PER_TOKEN / (double) (1L << 30)));
        }
    }
}
