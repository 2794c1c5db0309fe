package dev.llamajvm.internal.panama;

import dev.llamajvm.EmbeddingOptions;
import dev.llamajvm.LlamaException;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.bindings.llama_batch;
import dev.llamajvm.bindings.llama_context_params;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.bindings.llama_jvm_guard_h;
import dev.llamajvm.internal.engine.EmbedderBase;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** An embeddings context through the Panama bindings. See {@link EmbedderBase}. */
final class PanamaEmbedder extends EmbedderBase {

    private final Arena arena;
    private final MemorySegment context;
    private final MemorySegment batch;
    private final MemorySegment tokens;
    private final MemorySegment positions;
    private final MemorySegment seqCounts;
    private final MemorySegment seqIds;
    private final MemorySegment outputs;
    /** llama_decode goes through the guard (it can throw); its out-parameter, allocated once. */
    private final GuardError decodeError;

    private PanamaEmbedder(Arena arena, MemorySegment context, int dimension) {
        super(dimension, llama_h.llama_n_batch(context), (int) llama_h.llama_n_seq_max(context),
                llama_h.llama_pooling_type(context) != llama_h.LLAMA_POOLING_TYPE_NONE());
        this.arena = arena;
        this.context = context;
        this.batch = llama_h.llama_batch_init(arena, batchTokens(), 0, 1);
        long n = batchTokens();
        this.tokens = llama_batch.token(batch).reinterpret(n * Integer.BYTES);
        this.positions = llama_batch.pos(batch).reinterpret(n * Integer.BYTES);
        this.seqCounts = llama_batch.n_seq_id(batch).reinterpret(n * Integer.BYTES);
        this.seqIds = llama_batch.seq_id(batch).reinterpret(n * ValueLayout.ADDRESS.byteSize());
        this.outputs = llama_batch.logits(batch).reinterpret(n);
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
    protected void put(int index, int token, int position, int sequence) {
        tokens.setAtIndex(ValueLayout.JAVA_INT, index, token);
        positions.setAtIndex(ValueLayout.JAVA_INT, index, position);
        seqCounts.setAtIndex(ValueLayout.JAVA_INT, index, 1);
        seqIds.getAtIndex(ValueLayout.ADDRESS, index).reinterpret(Integer.BYTES).set(ValueLayout.JAVA_INT, 0, sequence);
        outputs.set(ValueLayout.JAVA_BYTE, index, (byte) 1);
    }

    @Override
    protected void count(int n) {
        llama_batch.n_tokens(batch, n);
    }

    @Override
    protected Decoded decodeBatch() {
        llama_h.llama_memory_clear(llama_h.llama_get_memory(context), true);
        NativeLog.Captured<Integer> rc =
                NativeLog.capture(() -> llama_jvm_guard_h.llama_jvm_decode(context, batch, decodeError.slot()));
        return new Decoded(rc.value(), decodeError.take(), rc.reason());
    }

    @Override
    protected float[] sequenceVector(int sequence) {
        return vector(llama_h.llama_get_embeddings_seq(context, sequence));
    }

    @Override
    protected float[] tokenVector(int index) {
        return vector(llama_h.llama_get_embeddings_ith(context, index));
    }

    private float[] vector(MemorySegment values) {
        return values.equals(MemorySegment.NULL) ? null
                : values.reinterpret((long) dimension() * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
    }

    @Override
    public void close() {
        llama_h.llama_batch_free(batch);
        llama_h.llama_free(context);
        arena.close();
    }
}
