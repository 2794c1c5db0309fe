package dev.llamajvm;

import dev.llamajvm.internal.engine.NativeEmbedder;
import dev.llamajvm.internal.engine.NativeModel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns texts into vectors (the retrieval half of local RAG), many texts per llama.cpp call.
 * Results equal llama.cpp's llama-embedding on the same model, texts and pooling.
 *
 * <p>Owns an embeddings context; closing the model closes it. One thread at a time.
 */
public final class Embedder implements AutoCloseable {

    private final LlamaModel model;
    private final NativeModel nativeModel;
    private final NativeEmbedder embedder;
    private final EmbeddingOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    /** Set as close starts, so a user blocked out by it is told the embedder is closing, not busy. */
    private volatile boolean closing;

    Embedder(LlamaModel model, NativeModel nativeModel, EmbeddingOptions options) {
        this.model = model;
        this.nativeModel = nativeModel;
        this.options = options;
        this.embedder = nativeModel.newEmbedder(options);
    }

    /** Width of the vectors. */
    public int dimension() {
        return locked(embedder::dimension);
    }

    /** The vector of one text. */
    public float[] embed(String text) {
        return embed(List.of(text))[0];
    }

    /** One vector per text, in order. */
    public float[][] embed(List<String> texts) {
        return locked(() -> {
            if (!embedder.pooled()) {
                throw new IllegalStateException("pooling NONE gives one vector per token: use embedTokens");
            }
            float[][] result = new float[texts.size()][];
            List<int[]> batch = new ArrayList<>();
            int batchStart = 0;
            int batchTokens = 0;
            for (int i = 0; i < texts.size(); i++) {
                int[] tokens = tokenize(texts.get(i));
                if (!batch.isEmpty() && (batchTokens + tokens.length > embedder.batchTokens()
                        || batch.size() == embedder.maxSequences())) {
                    flush(batch, result, batchStart);
                    batchStart = i;
                    batchTokens = 0;
                }
                batch.add(tokens);
                batchTokens += tokens.length;
            }
            if (!batch.isEmpty()) {
                flush(batch, result, batchStart);
            }
            return result;
        });
    }

    /** One vector per token of {@code text}; needs pooling NONE (pooled contexts keep no token vectors). */
    public float[][] embedTokens(String text) {
        return locked(() -> {
            if (embedder.pooled()) {
                throw new IllegalStateException("token vectors need EmbeddingOptions.Pooling.NONE");
            }
            return normalized(embedder.embedTokens(tokenize(text)));
        });
    }

    private void flush(List<int[]> batch, float[][] result, int start) {
        float[][] vectors = normalized(embedder.embedPooled(batch.toArray(int[][]::new)));
        System.arraycopy(vectors, 0, result, start, vectors.length);
        batch.clear();
    }

    private int[] tokenize(String text) {
        int[] tokens = nativeModel.tokenize(text.getBytes(StandardCharsets.UTF_8), true, true);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("nothing to embed: the text has no tokens");
        }
        if (tokens.length > embedder.batchTokens()) {
            throw new PromptTooLongException("a text has " + tokens.length + " tokens; the embedder holds "
                    + embedder.batchTokens() + " (EmbeddingOptions.contextSize)");
        }
        return tokens;
    }

    /** Euclidean normalisation exactly as llama.cpp's common_embd_normalize (sum in double). */
    private float[][] normalized(float[][] vectors) {
        if (options.normalize()) {
            for (float[] v : vectors) {
                double sum = 0;
                for (float x : v) {
                    sum += x * x;
                }
                float norm = (float) (sum > 0 ? 1.0 / Math.sqrt(sum) : 0.0);
                for (int i = 0; i < v.length; i++) {
                    v[i] = v[i] * norm;
                }
            }
        }
        return vectors;
    }

    private <T> T locked(java.util.function.Supplier<T> work) {
        if (!lock.tryLock()) {
            if (closing) { // close holds the lock, or waits for it: say so, not that the embedder is busy
                throw new IllegalStateException("this embedder is closed");
            }
            throw new IllegalStateException("this embedder is in use by another thread; it serves one thread at a time");
        }
        try {
            if (closed) {
                throw new IllegalStateException("this embedder is closed");
            }
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Frees the context. Idempotent. */
    @Override
    public void close() {
        closing = true;
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                embedder.close();
                model.forget(this);
            }
        } finally {
            lock.unlock();
        }
    }
}
