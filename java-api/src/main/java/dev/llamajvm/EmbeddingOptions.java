package dev.llamajvm;

/**
 * How to embed texts. Immutable: each method returns a changed copy.
 *
 * @param contextSize tokens one batch of texts may hold in all (also the longest single text)
 * @param threads     threads for evaluation
 * @param pooling     how token vectors become one vector per text
 * @param normalize   scale each vector to unit length (Euclidean), as llama-embedding does by default
 */
public record EmbeddingOptions(int contextSize, int threads, Pooling pooling, boolean normalize) {

    public EmbeddingOptions {
        if (contextSize < 1 || threads < 1) {
            throw new IllegalArgumentException("contextSize and threads must be positive: " + contextSize + ", " + threads);
        }
        java.util.Objects.requireNonNull(pooling, "pooling");
    }

    /** How token vectors are pooled into one vector per text. */
    public enum Pooling {
        /** What the model's metadata says (its default for llama-embedding too). */
        MODEL_DEFAULT,
        /** No pooling: one vector per token ({@link Embedder#embedTokens}). */
        NONE,
        MEAN,
        /** The first token's vector. */
        CLS,
        /** The last token's vector. */
        LAST
    }

    /** 2,048 tokens per batch, the model's pooling, normalised. */
    public static EmbeddingOptions defaults() {
        int threads = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        return new EmbeddingOptions(2048, threads, Pooling.MODEL_DEFAULT, true);
    }

    public EmbeddingOptions contextSize(int tokens) {
        return new EmbeddingOptions(tokens, threads, pooling, normalize);
    }

    public EmbeddingOptions threads(int count) {
        return new EmbeddingOptions(contextSize, count, pooling, normalize);
    }

    public EmbeddingOptions pooling(Pooling mode) {
        return new EmbeddingOptions(contextSize, threads, mode, normalize);
    }

    public EmbeddingOptions normalize(boolean on) {
        return new EmbeddingOptions(contextSize, threads, pooling, on);
    }
}
