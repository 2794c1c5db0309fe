package dev.llamajvm.internal.engine;

import dev.llamajvm.InferenceException;
import dev.llamajvm.LlamaException;

import java.util.List;

/**
 * What both engines' embedders do the same way, set up like llama.cpp's llama-embedding: one batch
 * holds many texts as separate sequences of a unified KV cache, every token outputs, and the cache
 * is cleared before each batch (embeddings need no history). An engine supplies the native calls.
 */
public abstract class EmbedderBase implements NativeEmbedder {

    /** One llama_decode of the batch through the guard. */
    public record Decoded(int code, String thrown, List<String> log) {}

    private final int dimension;
    private final int batchTokens;
    private final int maxSequences;
    private final boolean pooled;

    protected EmbedderBase(int dimension, int batchTokens, int maxSequences, boolean pooled) {
        this.dimension = dimension;
        this.batchTokens = batchTokens;
        this.maxSequences = maxSequences;
        this.pooled = pooled;
    }

    /** Writes batch entry {@code index}: the token at {@code position} of sequence {@code sequence}, an output. */
    protected abstract void put(int index, int token, int position, int sequence);

    /** Sets the batch's token count. */
    protected abstract void count(int tokens);

    /** Clears the KV cache and decodes the batch through the guard. */
    protected abstract Decoded decodeBatch();

    /** llama_get_embeddings_seq's {@link #dimension()} floats, or null for NULL. */
    protected abstract float[] sequenceVector(int sequence);

    /** llama_get_embeddings_ith's {@link #dimension()} floats, or null for NULL. */
    protected abstract float[] tokenVector(int index);

    @Override
    public final int dimension() { return dimension; }

    @Override
    public final int batchTokens() { return batchTokens; }

    @Override
    public final int maxSequences() { return maxSequences; }

    @Override
    public final boolean pooled() { return pooled; }

    @Override
    public final float[][] embedPooled(int[][] inputs) {
        fill(inputs);
        decode();
        float[][] out = new float[inputs.length][];
        for (int s = 0; s < inputs.length; s++) {
            out[s] = required(sequenceVector(s), "sequence " + s);
        }
        return out;
    }

    @Override
    public final float[][] embedTokens(int[] input) {
        fill(new int[][] {input});
        decode();
        float[][] out = new float[input.length][];
        for (int i = 0; i < input.length; i++) {
            out[i] = required(tokenVector(i), "token " + i);
        }
        return out;
    }

    /** Writes each input as its own sequence (positions from 0), every token an output. */
    private void fill(int[][] inputs) {
        int n = 0;
        for (int s = 0; s < inputs.length; s++) {
            for (int p = 0; p < inputs[s].length; p++, n++) {
                put(n, inputs[s][p], p, s);
            }
        }
        count(n);
    }

    private void decode() {
        Decoded rc = decodeBatch();
        if (rc.thrown() != null) {
            throw new InferenceException("llama_decode failed while embedding: " + rc.thrown(), rc.log());
        }
        if (rc.code() != 0) {
            throw new InferenceException("llama_decode failed with code " + rc.code() + " while embedding", rc.log());
        }
    }

    private static float[] required(float[] vector, String what) {
        if (vector == null) {
            throw new LlamaException("llama.cpp returned no embedding for " + what);
        }
        return vector;
    }
}
