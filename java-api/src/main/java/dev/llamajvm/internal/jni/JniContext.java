package dev.llamajvm.internal.jni;

import dev.llamajvm.InferenceException;
import dev.llamajvm.LlamaException;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.ContextLimit;
import dev.llamajvm.internal.engine.MediaSpan;
import dev.llamajvm.internal.engine.NativeContext;
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
import java.util.function.BooleanSupplier;

/**
 * A llama_context through the JNI bindings, with one llama_batch and its token and position
 * buffers made once (no native allocation per generated token). See {@link NativeContext}.
 */
final class JniContext implements NativeContext {

    private static final int DECODE_OK = 0, DECODE_NO_SLOT = 1, DECODE_ABORTED = 2;

    private final Llama.llama_context context;
    private final Llama.llama_memory_i memory;
    private final Pointer abortToken;
    private final int contextSize;
    private final int batchSize;
    private final IntPointer tokenBuffer;
    private final IntPointer positionBuffer;
    private final int[] positions;
    private final Llama.llama_batch batch;
    /** llama_decode goes through the guard (it can throw); its out-parameter, allocated once. */
    private final GuardSlot decodeError = new GuardSlot();
    private volatile BooleanSupplier abortCheck = () -> false;
    private int cached;

    private JniContext(Llama.llama_context context, Pointer abortToken) {
        this.context = context;
        this.abortToken = abortToken;
        this.memory = Llama.llama_get_memory(context);
        this.contextSize = Llama.llama_n_ctx(context);
        // Non-causal models assert that a call fits one micro-batch: never hand over more.
        this.batchSize = Math.min(Llama.llama_n_batch(context), Llama.llama_n_ubatch(context));
        this.tokenBuffer = new IntPointer((long) batchSize);
        this.positionBuffer = new IntPointer((long) batchSize);
        this.positions = new int[batchSize];
        // As llama_batch_get_one makes it, with positions of ours (see decode).
        this.batch = new Llama.llama_batch();
        batch.token(tokenBuffer);
        batch.pos(positionBuffer);
    }

    static JniContext create(JniModel model, SessionOptions options) {
        int trained = Llama.llama_model_n_ctx_train(model.model());
        ContextLimit.check(options.contextSize(), trained);
        JniContext[] self = new JniContext[1];
        Pointer abortToken = JniRuntime.registerAbortCheck(() -> self[0] != null && self[0].abortCheck.getAsBoolean());
        try (Llama.llama_context_params params = params(options)) {
            params.abort_callback(JniRuntime.abortCallback());
            params.abort_callback_data(abortToken);
            NativeLog.Captured<Llama.llama_context> created =
                    NativeLog.capture(() -> Llama.llama_init_from_model(model.model(), params));
            if (created.value() == null || created.value().isNull()) {
                throw NativeFailures.contextCreation(options, trained, created.reason());
            }
            try {
                self[0] = new JniContext(created.value(), abortToken);
            } catch (RuntimeException | Error e) {
                Llama.llama_free(created.value());
                throw e;
            }
            return self[0];
        } catch (RuntimeException | Error e) {
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
    public int contextSize() {
        return contextSize;
    }

    @Override
    public boolean decode(int[] tokens, int from, int count) {
        int start = cached;
        for (int done = 0; done < count; ) {
            int n = Math.min(batchSize, count - done);
            tokenBuffer.position(0).put(tokens, from + done, n);
            // Positions are ours, not llama.cpp's "after the last cached one": with M-RoPE an image
            // spans fewer positions than the cells it fills, and text resumes after its positions.
            for (int i = 0; i < n; i++) {
                positions[i] = cached + i;
            }
            positionBuffer.position(0).put(positions, 0, n);
            batch.n_tokens(n);
            NativeLog.Captured<Integer> decoded = NativeLog.capture(() ->
                    Llama.llama_jvm_decode(context, batch, decodeError.slot()));
            String thrown = decodeError.take();
            int rc = decoded.value();
            if (rc != DECODE_OK || thrown != null) {
                // Nothing of a failed call stays: the failed batch too may have left cells behind
                // (a recurrent memory cannot roll an aborted batch back), and positions are ours.
                cached += n;
                truncate(start);
                if (thrown != null) {
                    throw new InferenceException("llama_decode failed: " + thrown, decoded.reason());
                }
                if (rc == DECODE_ABORTED) {
                    return false;
                }
                throw new InferenceException(rc == DECODE_NO_SLOT
                        ? "no room in the KV cache for " + n + " more tokens (context " + contextSize + ")"
                        : "llama_decode failed with code " + rc, decoded.reason());
            }
            cached += n;
            done += n;
        }
        return true;
    }

    @Override
    public boolean decodeMedia(NativePrompt prompt, MediaSpan span) {
        JniPrompt media = (JniPrompt) prompt;
        int start = cached;
        List<String> log = new ArrayList<>();
        int rc;
        try (IntPointer next = new IntPointer(1L)) {
            rc = media.projector().evaluate(media.chunk(span), context, start, batchSize, next, log);
            if (rc == DECODE_OK) {
                cached = next.get(0);
                return true;
            }
        }
        cached = start + span.length(); // whatever part of it was decoded goes: nothing of a failed call stays
        truncate(start);
        if (rc == DECODE_ABORTED) {
            return false;
        }
        throw new InferenceException(rc == DECODE_NO_SLOT
                ? "no room in the KV cache for " + span.tokens() + " more media tokens (context " + contextSize + ")"
                : rc == JniProjector.DECODE_THREW ? "decoding the " + span.tokens() + " media embeddings threw"
                : "llama_decode failed on the " + span.tokens() + " media embeddings with code " + rc, log);
    }

    @Override
    public int cachedTokens() {
        return cached;
    }

    @Override
    public void truncate(int position) {
        if (position < cached) {
            if (position == 0) {
                Llama.llama_memory_clear(memory, true);
            } else if (!Llama.llama_memory_seq_rm(memory, 0, position, -1)) {
                // Some memories (recurrent models) cannot drop part of a sequence: start over.
                Llama.llama_memory_clear(memory, true);
                position = 0;
            }
            cached = position;
        }
    }

    @Override
    public void setAbortCheck(BooleanSupplier check) {
        this.abortCheck = check;
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
    public int[] loadState(Path file) {
        try (IntPointer ids = new IntPointer((long) contextSize); SizeTPointer count = new SizeTPointer(1L);
             BytePointer path = JniStrings.utf8(file.toString())) {
            NativeLog.Captured<Boolean> loaded = NativeLog.capture(() ->
                    Llama.llama_state_load_file(context, path, ids, contextSize, count));
            if (!loaded.value()) {
                cached = 0;
                Llama.llama_memory_clear(memory, true);
                throw new LlamaException("could not load the session state from " + file, loaded.reason());
            }
            int n = (int) count.get(0);
            if (Llama.llama_memory_seq_pos_max(memory, 0) >= n) {
                // Positions are ours from here on: a cache holding more than the file's tokens would
                // make every next decode inconsistent.
                cached = 0;
                Llama.llama_memory_clear(memory, true);
                throw new LlamaException("the session state " + file + " holds more than its " + n + " tokens");
            }
            cached = n;
            int[] out = new int[n];
            ids.get(out, 0, n);
            return out;
        }
    }

    Llama.llama_context context() {
        return context;
    }

    @Override
    public void close() {
        Llama.llama_free(context);
        JniRuntime.release(abortToken);
        batch.close();
        tokenBuffer.close();
        positionBuffer.close();
    }
}
