package dev.llamajvm.internal.jni;

import dev.llamajvm.EmbeddingOptions;
import dev.llamajvm.LlamaException;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.EmbedderBase;
import dev.llamajvm.internal.engine.NativeLog;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/** An embeddings context through the JNI bindings. See {@link EmbedderBase}. */
final class JniEmbedder extends EmbedderBase {

    private final Llama.llama_context context;
    private final Llama.llama_batch batch;
    private final IntPointer tokens;
    private final IntPointer positions;
    private final IntPointer seqCounts;
    private final BytePointer outputs;
    private final GuardSlot decodeError = new GuardSlot();

    private JniEmbedder(Llama.llama_context context, int dimension) {
        super(dimension, Llama.llama_n_batch(context), (int) Llama.llama_n_seq_max(context),
                Llama.llama_pooling_type(context) != Llama.LLAMA_POOLING_TYPE_NONE);
        this.context = context;
        this.batch = Llama.llama_batch_init(batchTokens(), 0, 1);
        this.tokens = batch.token();
        this.positions = batch.pos();
        this.seqCounts = batch.n_seq_id();
        this.outputs = batch.logits();
    }

    static JniEmbedder create(JniModel model, EmbeddingOptions options) {
        try (Llama.llama_context_params params = Llama.llama_context_default_params()) {
            int size = options.contextSize();
            params.n_ctx(size);
            params.n_batch(size);
            params.n_ubatch(size); // non-causal models need a whole text per ubatch
            // llama.cpp asserts (aborting the JVM) when more sequences than batch tokens are allowed.
            params.n_seq_max((int) Math.min(Llama.llama_max_parallel_sequences(), size));
            params.kv_unified(true);
            params.n_threads(options.threads());
            params.n_threads_batch(options.threads());
            params.embeddings(true);
            params.pooling_type(pooling(options.pooling()));
            NativeLog.Captured<Llama.llama_context> created =
                    NativeLog.capture(() -> Llama.llama_init_from_model(model.model(), params));
            if (created.value() == null || created.value().isNull()) {
                throw new LlamaException("llama.cpp could not create an embeddings context (" + options + ")",
                        created.reason());
            }
            if (Llama.llama_pooling_type(created.value()) == Llama.LLAMA_POOLING_TYPE_RANK) {
                // A reranker outputs class scores, not vectors of n_embd floats.
                Llama.llama_free(created.value());
                throw new LlamaException("this model is a reranker (pooling RANK), which the embedder does not support yet");
            }
            try {
                return new JniEmbedder(created.value(), Llama.llama_model_n_embd_out(model.model()));
            } catch (RuntimeException | Error e) {
                Llama.llama_free(created.value());
                throw e;
            }
        }
    }

    private static int pooling(EmbeddingOptions.Pooling pooling) {
        switch (pooling) {
            case NONE: return Llama.LLAMA_POOLING_TYPE_NONE;
            case MEAN: return Llama.LLAMA_POOLING_TYPE_MEAN;
            case CLS: return Llama.LLAMA_POOLING_TYPE_CLS;
            case LAST: return Llama.LLAMA_POOLING_TYPE_LAST;
            default: return Llama.LLAMA_POOLING_TYPE_UNSPECIFIED;
        }
    }

    @Override
    protected void put(int index, int token, int position, int sequence) {
        tokens.put(index, token);
        positions.put(index, position);
        seqCounts.put(index, 1);
        batch.seq_id(index).put(0, sequence);
        outputs.put(index, (byte) 1);
    }

    @Override
    protected void count(int n) {
        batch.n_tokens(n);
    }

    @Override
    protected Decoded decodeBatch() {
        Llama.llama_memory_clear(Llama.llama_get_memory(context), true);
        NativeLog.Captured<Integer> rc =
                NativeLog.capture(() -> Llama.llama_jvm_decode(context, batch, decodeError.slot()));
        return new Decoded(rc.value(), decodeError.take(), rc.reason());
    }

    @Override
    protected float[] sequenceVector(int sequence) {
        return vector(Llama.llama_get_embeddings_seq(context, sequence));
    }

    @Override
    protected float[] tokenVector(int index) {
        return vector(Llama.llama_get_embeddings_ith(context, index));
    }

    private float[] vector(FloatPointer values) {
        if (values == null || values.isNull()) {
            return null;
        }
        float[] out = new float[dimension()];
        values.get(out);
        return out;
    }

    @Override
    public void close() {
        Llama.llama_batch_free(batch);
        Llama.llama_free(context);
        batch.close();
    }
}
