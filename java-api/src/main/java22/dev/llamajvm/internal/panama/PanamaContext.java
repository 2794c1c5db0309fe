package dev.llamajvm.internal.panama;

import dev.llamajvm.InferenceException;
import dev.llamajvm.LlamaException;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.bindings.ggml_abort_callback;
import dev.llamajvm.bindings.ggml_h;
import dev.llamajvm.bindings.llama_batch;
import dev.llamajvm.bindings.llama_context_params;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.bindings.llama_jvm_guard_h;
import dev.llamajvm.internal.engine.AllocationFailure;
import dev.llamajvm.internal.engine.ContextLimit;
import dev.llamajvm.internal.engine.MediaSpan;
import dev.llamajvm.internal.engine.NativeContext;
import dev.llamajvm.internal.engine.NativeFailures;
import dev.llamajvm.internal.engine.NativePrompt;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A llama_context through the Panama bindings, with its own arena for the abort upcall and the
 * reusable batch buffers (no allocation per generated token). See {@link NativeContext}.
 */
final class PanamaContext implements NativeContext {

    private static final int DECODE_OK = 0, DECODE_NO_SLOT = 1, DECODE_ABORTED = 2;

    private final Arena arena;
    private final MemorySegment context;
    private final MemorySegment memory;
    private final int contextSize;
    private final int batchSize;
    private final MemorySegment tokenBuffer;
    private final MemorySegment positionBuffer;
    private final SegmentAllocator batchAllocator;
    /** llama_decode goes through the guard (it can throw); its out-parameter, allocated once. */
    private final GuardError decodeError;
    private volatile BooleanSupplier abortCheck = () -> false;
    private int cached;

    private PanamaContext(Arena arena, MemorySegment context) {
        this.arena = arena;
        this.context = context;
        this.memory = llama_h.llama_get_memory(context);
        this.contextSize = llama_h.llama_n_ctx(context);
        // Non-causal models assert that a call fits one micro-batch: never hand over more.
        this.batchSize = Math.min(llama_h.llama_n_batch(context), llama_h.llama_n_ubatch(context));
        this.tokenBuffer = arena.allocate(ValueLayout.JAVA_INT, batchSize);
        this.positionBuffer = arena.allocate(ValueLayout.JAVA_INT, batchSize);
        // llama_batch_get_one returns its struct by value: always into this one segment.
        this.batchAllocator = SegmentAllocator.prefixAllocator(llama_batch.allocate(arena));
        this.decodeError = new GuardError(arena);
    }

    static PanamaContext create(PanamaModel model, SessionOptions options) {
        int trained = llama_h.llama_model_n_ctx_train(model.model());
        ContextLimit.check(options.contextSize(), trained);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment params = params(options, arena);
            PanamaContext[] self = new PanamaContext[1];
            MemorySegment abort = ggml_abort_callback.allocate(data -> self[0] != null && self[0].shouldAbort(), arena);
            llama_context_params.abort_callback(params, abort);
            NativeLog.Captured<MemorySegment> created =
                    NativeLog.capture(() -> llama_h.llama_init_from_model(model.model(), params));
            if (created.value().equals(MemorySegment.NULL)) {
                throw NativeFailures.contextCreation(options, trained, created.reason());
            }
            try {
                self[0] = new PanamaContext(arena, created.value());
            } catch (RuntimeException | Error e) {
                llama_h.llama_free(created.value());
                throw e;
            }
            return self[0];
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** The llama_context_params of {@code options}; the memory estimate uses the same ones. */
    static MemorySegment params(SessionOptions options, Arena arena) {
        MemorySegment params = llama_h.llama_context_default_params(arena);
        llama_context_params.n_ctx(params, options.contextSize());
        llama_context_params.n_batch(params, options.batchSize());
        llama_context_params.n_ubatch(params, Math.min(options.ubatchSize(), options.batchSize()));
        llama_context_params.n_threads(params, options.threads());
        llama_context_params.n_threads_batch(params, options.batchThreads());
        llama_context_params.flash_attn_type(params, switch (options.flashAttention()) {
            case AUTO -> llama_h.LLAMA_FLASH_ATTN_TYPE_AUTO();
            case ENABLED -> llama_h.LLAMA_FLASH_ATTN_TYPE_ENABLED();
            case DISABLED -> llama_h.LLAMA_FLASH_ATTN_TYPE_DISABLED();
        });
        llama_context_params.type_k(params, ggmlType(options.keyCacheType()));
        llama_context_params.type_v(params, ggmlType(options.valueCacheType()));
        return params;
    }

    private static int ggmlType(SessionOptions.CacheType type) {
        return switch (type) {
            case F32 -> ggml_h.GGML_TYPE_F32();
            case F16 -> ggml_h.GGML_TYPE_F16();
            case BF16 -> ggml_h.GGML_TYPE_BF16();
            case Q8_0 -> ggml_h.GGML_TYPE_Q8_0();
            case Q4_0 -> ggml_h.GGML_TYPE_Q4_0();
            case Q4_1 -> ggml_h.GGML_TYPE_Q4_1();
            case Q5_0 -> ggml_h.GGML_TYPE_Q5_0();
            case Q5_1 -> ggml_h.GGML_TYPE_Q5_1();
            case IQ4_NL -> ggml_h.GGML_TYPE_IQ4_NL();
        };
    }

    /** Runs in an upcall from ggml: must answer, never throw. */
    private boolean shouldAbort() {
        try {
            return abortCheck.getAsBoolean();
        } catch (Throwable t) {
            return true;
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
            MemorySegment.copy(tokens, from + done, tokenBuffer, ValueLayout.JAVA_INT, 0, n);
            MemorySegment batch = llama_h.llama_batch_get_one(batchAllocator, tokenBuffer, n);
            // Positions are ours, not llama.cpp's "after the last cached one": with M-RoPE an image
            // spans fewer positions than the cells it fills, and text resumes after its positions.
            for (int i = 0; i < n; i++) {
                positionBuffer.setAtIndex(ValueLayout.JAVA_INT, i, cached + i);
            }
            llama_batch.pos(batch, positionBuffer);
            NativeLog.Captured<Integer> decoded = NativeLog.capture(() ->
                    llama_jvm_guard_h.llama_jvm_decode(context, batch, decodeError.slot()));
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
        PanamaPrompt media = (PanamaPrompt) prompt;
        int start = cached;
        List<String> log = new ArrayList<>();
        int rc;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment next = call.allocate(ValueLayout.JAVA_INT);
            rc = media.projector().evaluate(media.chunk(span), context, start, batchSize, next, log);
            if (rc == DECODE_OK) {
                cached = next.get(ValueLayout.JAVA_INT, 0);
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
                : rc == PanamaProjector.DECODE_THREW ? "decoding the " + span.tokens() + " media embeddings threw"
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
                llama_h.llama_memory_clear(memory, true);
            } else if (!llama_h.llama_memory_seq_rm(memory, 0, position, -1)) {
                // Some memories (recurrent models) cannot drop part of a sequence: start over.
                llama_h.llama_memory_clear(memory, true);
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
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ids = a.allocateFrom(ValueLayout.JAVA_INT, tokens);
            NativeLog.Captured<Boolean> saved = NativeLog.capture(() ->
                    llama_h.llama_state_save_file(context, a.allocateFrom(file.toString()), ids, tokens.length));
            if (!saved.value()) {
                throw new LlamaException("could not save the session state to " + file, saved.reason());
            }
        }
    }

    @Override
    public int[] loadState(Path file) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ids = a.allocate(ValueLayout.JAVA_INT, contextSize);
            MemorySegment count = a.allocate(ValueLayout.JAVA_LONG);
            NativeLog.Captured<Boolean> loaded = NativeLog.capture(() ->
                    llama_h.llama_state_load_file(context, a.allocateFrom(file.toString()), ids, contextSize, count));
            if (!loaded.value()) {
                cached = 0;
                llama_h.llama_memory_clear(memory, true);
                throw new LlamaException("could not load the session state from " + file, loaded.reason());
            }
            int n = (int) count.get(ValueLayout.JAVA_LONG, 0);
            if (llama_h.llama_memory_seq_pos_max(memory, 0) >= n) {
                // Positions are ours from here on: a cache holding more than the file's tokens would
                // make every next decode inconsistent.
                cached = 0;
                llama_h.llama_memory_clear(memory, true);
                throw new LlamaException("the session state " + file + " holds more than its " + n + " tokens");
            }
            cached = n;
            return ids.asSlice(0, (long) n * Integer.BYTES).toArray(ValueLayout.JAVA_INT);
        }
    }

    MemorySegment context() {
        return context;
    }

    @Override
    public void close() {
        llama_h.llama_free(context);
        arena.close();
    }
}
