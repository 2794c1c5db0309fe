package dev.llamajvm.internal.jni;

import dev.llamajvm.LlamaException;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.ContextLimit;
import dev.llamajvm.internal.engine.MediaSpan;
import dev.llamajvm.internal.engine.ChunkedPrompt;
import dev.llamajvm.internal.engine.ContextBase;
import dev.llamajvm.internal.engine.NativeFailures;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.internal.engine.NativePrompt;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A llama_context through the JNI bindings, with one llama_batch and its token and position
 * buffers made once (no native allocation per generated token). See {@link ContextBase}.
 */
final class JniContext extends ContextBase {

    private final Llama.llama_context context;
    private final Llama.llama_memory_i memory;
    private final Pointer abortToken;
    private final Llama.llama_jvm_abort_throttle abortThrottle;
    private final IntPointer tokenBuffer;
    private final IntPointer positionBuffer;
    private final int[] positions;
    private final Llama.llama_batch batch;
    /** llama_decode goes through the guard (it can throw); its out-parameter, allocated once. */
    private final GuardSlot decodeError = new GuardSlot();

    private JniContext(Llama.llama_context context, Pointer abortToken, Llama.llama_jvm_abort_throttle abortThrottle) {
        // Non-causal models assert that a call fits one micro-batch: never hand over more.
        super(Llama.llama_n_ctx(context), Math.min(Llama.llama_n_batch(context), Llama.llama_n_ubatch(context)));
        this.context = context;
        this.abortToken = abortToken;
        this.abortThrottle = abortThrottle;
        this.memory = Llama.llama_get_memory(context);
        this.tokenBuffer = new IntPointer((long) batchSize());
        this.positionBuffer = new IntPointer((long) batchSize());
        this.positions = new int[batchSize()];
        // As llama_batch_get_one makes it, with positions of ours.
        this.batch = new Llama.llama_batch();
        batch.token(tokenBuffer);
        batch.pos(positionBuffer);
    }

    static JniContext create(JniModel model, SessionOptions options) {
        int trained = Llama.llama_model_n_ctx_train(model.model());
        ContextLimit.check(options.contextSize(), trained);
        JniContext[] self = new JniContext[1];
        Pointer abortToken = JniRuntime.registerAbortCheck(() -> self[0] != null && self[0].shouldAbort());
        Llama.llama_jvm_abort_throttle throttle = Llama.llama_jvm_abort_throttle_init(JniRuntime.abortCallback(),
                abortToken, ABORT_CHECK_INTERVAL_MICROS);
        try (Llama.llama_context_params params = params(options)) {
            if (throttle == null || throttle.isNull()) {
                throw new LlamaException("not enough memory for a context's abort check");
            }
            params.abort_callback(Llama.llama_jvm_abort_throttle_callback());
            params.abort_callback_data(throttle);
            NativeLog.Captured<Llama.llama_context> created =
                    NativeLog.capture(() -> Llama.llama_init_from_model(model.model(), params));
            if (created.value() == null || created.value().isNull()) {
                throw NativeFailures.contextCreation(options, trained, created.reason());
            }
            try {
                self[0] = new JniContext(created.value(), abortToken, throttle);
            } catch (RuntimeException | Error e) {
                Llama.llama_free(created.value());
                throw e;
            }
            return self[0];
        } catch (RuntimeException | Error e) {
            Llama.llama_jvm_abort_throttle_free(throttle);
            JniRuntime.release(abortToken);
            throw e;
        }
    }

    /** The llama_context_params of {@code options}; the memory estimate uses the same ones. */
    static Llama.llama_context_params params(SessionOptions options) {
        Llama.llama_context_params params = Llama.llama_context_default_params();
        params.n_ctx(options.contextSize());
        params.n_batch(options.batchSize());
        params.n_ubatch(Math.min(options.ubatchSize(), options.batchSize()));
        params.n_threads(options.threads());
        params.n_threads_batch(options.batchThreads());
        params.flash_attn_type(flashAttention(options.flashAttention()));
        params.type_k(ggmlType(options.keyCacheType()));
        params.type_v(ggmlType(options.valueCacheType()));
        return params;
    }

    private static int flashAttention(SessionOptions.FlashAttention mode) {
        switch (mode) {
            case ENABLED: return Llama.LLAMA_FLASH_ATTN_TYPE_ENABLED;
            case DISABLED: return Llama.LLAMA_FLASH_ATTN_TYPE_DISABLED;
            default: return Llama.LLAMA_FLASH_ATTN_TYPE_AUTO;
        }
    }

    private static int ggmlType(SessionOptions.CacheType type) {
        switch (type) {
            case F32: return Llama.GGML_TYPE_F32;
            case F16: return Llama.GGML_TYPE_F16;
            case BF16: return Llama.GGML_TYPE_BF16;
            case Q8_0: return Llama.GGML_TYPE_Q8_0;
            case Q4_0: return Llama.GGML_TYPE_Q4_0;
            case Q4_1: return Llama.GGML_TYPE_Q4_1;
            case Q5_0: return Llama.GGML_TYPE_Q5_0;
            case Q5_1: return Llama.GGML_TYPE_Q5_1;
            case IQ4_NL: return Llama.GGML_TYPE_IQ4_NL;
            default: throw new IllegalArgumentException("cache type " + type);
        }
    }

    @Override
    protected Decoded decodeBatch(int[] tokens, int offset, int n, int firstPosition) {
        tokenBuffer.position(0).put(tokens, offset, n);
        for (int i = 0; i < n; i++) {
            positions[i] = firstPosition + i;
        }
        positionBuffer.position(0).put(positions, 0, n);
        batch.n_tokens(n);
        NativeLog.Captured<Integer> decoded = NativeLog.capture(() ->
                Llama.llama_jvm_decode(context, batch, decodeError.slot()));
        return new Decoded(decoded.value(), decodeError.take(), decoded.reason());
    }

    @Override
    protected MediaDecoded evaluateMedia(NativePrompt prompt, MediaSpan span, int position, int batchSize) {
        @SuppressWarnings("unchecked")
        ChunkedPrompt<JniProjector, Llama.mtmd_input_chunk> media = (ChunkedPrompt<JniProjector, Llama.mtmd_input_chunk>) prompt;
        List<String> log = new ArrayList<>();
        try (IntPointer next = new IntPointer(1L)) {
            int rc = media.projector().evaluate(media.chunk(span), context, position, batchSize, next, log);
            return new MediaDecoded(rc, next.get(0), log);
        }
    }

    @Override
    protected void clearMemory() {
        Llama.llama_memory_clear(memory, true);
    }

    @Override
    protected boolean removeFrom(int position) {
        return Llama.llama_memory_seq_rm(memory, 0, position, -1);
    }

    @Override
    protected int maxPosition() {
        return Llama.llama_memory_seq_pos_max(memory, 0);
    }

    @Override
    public void saveState(Path file, int[] tokens) {
        try (IntPointer ids = new IntPointer(tokens); BytePointer path = JniStrings.utf8(file.toString())) {
            NativeLog.Captured<Boolean> saved = NativeLog.capture(() ->
                    Llama.llama_state_save_file(context, path, ids, tokens.length));
            if (!saved.value()) {
                throw new LlamaException("could not save the session state to " + file, saved.reason());
            }
        }
    }

    @Override
    protected LoadedState readState(Path file, int capacity) {
        try (IntPointer ids = new IntPointer((long) capacity); SizeTPointer count = new SizeTPointer(1L);
             BytePointer path = JniStrings.utf8(file.toString())) {
            NativeLog.Captured<Boolean> loaded = NativeLog.capture(() ->
                    Llama.llama_state_load_file(context, path, ids, capacity, count));
            if (!loaded.value()) {
                return new LoadedState(null, loaded.reason());
            }
            int[] out = new int[(int) count.get(0)];
            ids.get(out, 0, out.length);
            return new LoadedState(out, List.of());
        }
    }

    Llama.llama_context context() {
        return context;
    }

    @Override
    public void close() {
        Llama.llama_free(context);
        Llama.llama_jvm_abort_throttle_free(abortThrottle);
        JniRuntime.release(abortToken);
        batch.close();
        tokenBuffer.close();
        positionBuffer.close();
    }
}
