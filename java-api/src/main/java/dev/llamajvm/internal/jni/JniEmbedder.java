package dev.llamajvm.internal.jni;

import dev.llamajvm.EmbeddingOptions;
import dev.llamajvm.InferenceException;
import dev.llamajvm.LlamaException;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.NativeEmbedder;
import dev.llamajvm.internal.engine.NativeLog;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * An embeddings context set up like llama.cpp's llama-embedding (and the Panama engine's): one
 * batch holds many texts as separate sequences of a unified KV cache, every token outputs, and the
 * cache is cleared before each batch.
 */
final class JniEmbedder implements NativeEmbedder {

    private final Llama.llama_context context;
    private final Llama.llama_batch batch;
    private final int dimension;
    private final int batchTokens;
    private final int maxSequences;
    private final boolean pooled;
    private final GuardSlot decodeError = new GuardSlot();

    private JniEmbedder(Llama.llama_context context, int dimension) {
        this.context = context;
        this.dimension = dimension;
        this.batchTokens = Llama.llama_n_batch(context);
        this.maxSequences = (int) Llama.llama_n_seq_max(context);
        this.pooled = Llama.llama_pooling_type(context) != Llama.LLAMA_POOLING_TYPE_NONE;
        this.batch = Llama.llama_batch_init(batchTokens, 0, 1);
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
            out[s] = vector(Llama.llama_get_embeddings_seq(context, s), "sequence " + s);
        }
        return out;
    }

    @Override
    public float[][] embedTokens(int[] input) {
        fill(new int[][] {input});
        decode();
        float[][] out = new float[input.length][];
        for (int i = 0; i < input.length; i++) {
            out[i] = vector(Llama.llama_get_embeddings_ith(context, i), "token " + i);
        }
        return out;
    }

    /** Writes each input as its own sequence (positions from 0), every token an output. */
    private void fill(int[][] inputs) {
        IntPointer tokens = batch.token();
        IntPointer positions = batch.pos();
        IntPointer seqCounts = batch.n_seq_id();
        BytePointer outputs = batch.logits();
        int n = 0;
        for (int s = 0; s < inputs.length; s++) {
            for (int p = 0; p < inputs[s].length; p++, n++) {
                tokens.put(n, inputs[s][p]);
                positions.put(n, p);
                seqCounts.put(n, 1);
                batch.seq_id(n).put(0, s);
                outputs.put(n, (byte) 1);
            }
        }
        batch.n_tokens(n);
    }

    private void decode() {
        Llama.llama_memory_clear(Llama.llama_get_memory(context), true);
        NativeLog.Captured<Integer> rc =
                NativeLog.capture(() -> Llama.llama_jvm_decode(context, batch, decodeError.slot()));
        String thrown = decodeError.take();
        if (thrown != null) {
            throw new InferenceException("llama_decode failed while embedding: " + thrown, rc.reason());
        }
        if (rc.value() != 0) {
            throw new InferenceException("llama_decode failed with code " + rc.value() + " while embedding", rc.reason());
        }
    }

    private float[] vector(FloatPointer values, String what) {
        if (values == null || values.isNull()) {
            throw new LlamaException("llama.cpp returned no embedding for " + what);
        }
        float[] out = new float[dimension];
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
