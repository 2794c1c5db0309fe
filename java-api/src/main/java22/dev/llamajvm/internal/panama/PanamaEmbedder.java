package dev.llamajvm.internal.panama;

import dev.llamajvm.EmbeddingOptions;
import dev.llamajvm.InferenceException;
import dev.llamajvm.LlamaException;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.bindings.llama_batch;
import dev.llamajvm.bindings.llama_context_params;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.bindings.llama_jvm_guard_h;
import dev.llamajvm.internal.engine.NativeEmbedder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An embeddings context set up like llama.cpp's llama-embedding: one batch holds many texts as
 * separate sequences of a unified KV cache, every token outputs, and the cache is cleared before
 * each batch (embeddings need no history).
 */
final class PanamaEmbedder implements NativeEmbedder {

    private final Arena arena;
    private final MemorySegment context;
    private final MemorySegment batch;
    private final int dimension;
    private final int batchTokens;
    private final int maxSequences;
    private final boolean pooled;
    /** llama_decode goes through the guard (it can throw); its out-parameter, allocated once. */
    private final GuardError decodeError;

    private PanamaEmbedder(Arena arena, MemorySegment context, int dimension) {
        this.arena = arena;
        this.context = context;
        this.dimension = dimension;
        this.batchTokens = llama_h.llama_n_batch(context);
        this.maxSequences = (int) llama_h.llama_n_seq_max(context);
        this.pooled = llama_h.llama_pooling_type(context) != llama_h.LLAMA_POOLING_TYPE_NONE();
        this.batch = llama_h.llama_batch_init(arena, batchTokens, 0, 1);
        this.decodeError = new GuardError(arena);
    }

    static PanamaEmbedder create(PanamaModel model, EmbeddingOptions options) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment params = llama_h.llama_context_default_params(arena);
            int size = options.contextSize();
            llama_context_params.n_ctx(params, size);
            llama_context_params.n_batch(params, size);
            llama_context_params.n_ubatch(params, size); // non-causal models need a whole text per ubatch
            // llama.cpp asserts (aborting the JVM) when more sequences than batch tokens are allowed.
            int sequences = (int) Math.min(llama_h.llama_max_parallel_sequences(), size);
            llama_context_params.n_seq_max(params, sequences);
            llama_context_params.kv_unified(params, true);
            llama_context_params.n_threads(params, options.threads());
            llama_context_params.n_threads_batch(params, options.threads());
            llama_context_params.embeddings(params, true);
            llama_context_params.pooling_type(params, switch (options.pooling()) {
                case MODEL_DEFAULT -> llama_h.LLAMA_POOLING_TYPE_UNSPECIFIED();
                case NONE -> llama_h.LLAMA_POOLING_TYPE_NONE();
                case MEAN -> llama_h.LLAMA_POOLING_TYPE_MEAN();
                case CLS -> llama_h.LLAMA_POOLING_TYPE_CLS();
                case LAST -> llama_h.LLAMA_POOLING_TYPE_LAST();
            });
            NativeLog.Captured<MemorySegment> created =
                    NativeLog.capture(() -> llama_h.llama_init_from_model(model.model(), params));
            if (created.value().equals(MemorySegment.NULL)) {
                throw new LlamaException("llama.cpp could not create an embeddings context (" + options + ")",
                        created.reason());
            }
            if (llama_h.llama_pooling_type(created.value()) == llama_h.LLAMA_POOLING_TYPE_RANK()) {
                // A reranker outputs class scores, not vectors of n_embd floats.
                llama_h.llama_free(created.value());
                throw new LlamaException("this model is a reranker (pooling RANK), which the embedder does not support yet");
            }
            try {
                return new PanamaEmbedder(arena, created.value(), llama_h.llama_model_n_embd_out(model.model()));
            } catch (RuntimeException | Error e) {
                llama_h.llama_free(created.value());
                throw e;
            }
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public int dimension() { return dimension; }

    @Override
    public int batchTokens() { return batchTokens; }

    @Override
    public int maxSequences() { return maxSequences; }

    @Override
    public boolean pooled() { return pooled; }

    @Override
    public float[][] embedPooled(int[][] inputs) {
        fill(inputs);
        decode();
        float[][] out = new float[inputs.length][];
        for (int s = 0; s < inputs.length; s++) {
            out[s] = vector(llama_h.llama_get_embeddings_seq(context, s), "sequence " + s);
        }
        return out;
    }

    @Override
    public float[][] embedTokens(int[] input) {
        fill(new int[][] {input});
        decode();
        float[][] out = new float[input.length][];
        for (int i = 0; i < input.length; i++) {
            out[i] = vector(llama_h.llama_get_embeddings_ith(context, i), "token " + i);
        }
        return out;
    }

    /** Writes each input as its own sequence (positions from 0), every token an output. */
    private void fill(int[][] inputs) {
        MemorySegment tokens = llama_batch.token(batch).reinterpret((long) batchTokens * Integer.BYTES);
        MemorySegment positions = llama_batch.pos(batch).reinterpret((long) batchTokens * Integer.BYTES);
        MemorySegment seqCounts = llama_batch.n_seq_id(batch).reinterpret((long) batchTokens * Integer.BYTES);
        MemorySegment seqIds = llama_batch.seq_id(batch).reinterpret((long) batchTokens * ValueLayout.ADDRESS.byteSize());
        MemorySegment outputs = llama_batch.logits(batch).reinterpret(batchTokens);
        int n = 0;
        for (int s = 0; s < inputs.length; s++) {
            for (int p = 0; p < inputs[s].length; p++, n++) {
                tokens.setAtIndex(ValueLayout.JAVA_INT, n, inputs[s][p]);
                positions.setAtIndex(ValueLayout.JAVA_INT, n, p);
                seqCounts.setAtIndex(ValueLayout.JAVA_INT, n, 1);
                seqIds.getAtIndex(ValueLayout.ADDRESS, n).reinterpret(Integer.BYTES).set(ValueLayout.JAVA_INT, 0, s);
                outputs.set(ValueLayout.JAVA_BYTE, n, (byte) 1);
            }
        }
        llama_batch.n_tokens(batch, n);
    }

    private void decode() {
        llama_h.llama_memory_clear(llama_h.llama_get_memory(context), true);
        NativeLog.Captured<Integer> rc =
                NativeLog.capture(() -> llama_jvm_guard_h.llama_jvm_decode(context, batch, decodeError.slot()));
        String thrown = decodeError.take();
        if (thrown != null) {
            throw new InferenceException("llama_decode failed while embedding: " + thrown, rc.reason());
        }
        if (rc.value() != 0) {
            throw new InferenceException("llama_decode failed with code " + rc.value() + " while embedding", rc.reason());
        }
    }

    private float[] vector(MemorySegment values, String what) {
        if (values.equals(MemorySegment.NULL)) {
            throw new LlamaException("llama.cpp returned no embedding for " + what);
        }
        return values.reinterpret((long) dimension * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
    }

    @Override
    public void close() {
        llama_h.llama_batch_free(batch);
        llama_h.llama_free(context);
        arena.close();
    }
}
