package dev.llamajvm.internal.panama;

import dev.llamajvm.LlamaException;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.bindings.ggml_abort_callback;
import dev.llamajvm.bindings.ggml_h;
import dev.llamajvm.bindings.llama_batch;
import dev.llamajvm.bindings.llama_context_params;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.bindings.llama_jvm_abort_h;
import dev.llamajvm.bindings.llama_jvm_guard_h;
import dev.llamajvm.internal.engine.ContextLimit;
import dev.llamajvm.internal.engine.MediaSpan;
import dev.llamajvm.internal.engine.ChunkedPrompt;
import dev.llamajvm.internal.engine.ContextBase;
import dev.llamajvm.internal.engine.NativeFailures;
import dev.llamajvm.internal.engine.NativePrompt;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A llama_context through the Panama bindings, with its own arena for the abort upcall and the
 * reusable batch buffers (no allocation per generated token). See {@link ContextBase}.
 */
final class PanamaContext extends ContextBase {

    private final Arena arena;
    private final MemorySegment context;
    private final MemorySegment abortThrottle;
    private final MemorySegment memory;
    private final MemorySegment tokenBuffer;
    private final MemorySegment positionBuffer;
    private final SegmentAllocator batchAllocator;
    /** llama_decode goes through the guard (it can throw); its out-parameter, allocated once. */
    private final GuardError decodeError;

    private PanamaContext(Arena arena, MemorySegment context, MemorySegment abortThrottle) {
        // Non-causal models assert that a call fits one micro-batch: never hand over more.
        super(llama_h.llama_n_ctx(context), Math.min(llama_h.llama_n_batch(context), llama_h.llama_n_ubatch(context)));
        this.arena = arena;
        this.context = context;
        this.abortThrottle = abortThrottle;
        this.memory = llama_h.llama_get_memory(context);
        this.tokenBuffer = arena.allocate(ValueLayout.JAVA_INT, batchSize());
        this.positionBuffer = arena.allocate(ValueLayout.JAVA_INT, batchSize());
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
            MemorySegment check = ggml_abort_callback.allocate(data -> self[0] != null && self[0].shouldAbort(), arena);
            MemorySegment throttle = llama_jvm_abort_h.llama_jvm_abort_throttle_init(check, MemorySegment.NULL,
                    ABORT_CHECK_INTERVAL_MICROS);
            if (throttle.equals(MemorySegment.NULL)) {
                throw new LlamaException("not enough memory for a context's abort check");
            }
            llama_context_params.abort_callback(params, llama_jvm_abort_h.llama_jvm_abort_throttle_callback());
            llama_context_params.abort_callback_data(params, throttle);
            try {
                NativeLog.Captured<MemorySegment> created =
                        NativeLog.capture(() -> llama_h.llama_init_from_model(model.model(), params));
                if (created.value().equals(MemorySegment.NULL)) {
                    throw NativeFailures.contextCreation(options, trained, created.reason());
                }
                try {
                    self[0] = new PanamaContext(arena, created.value(), throttle);
                } catch (RuntimeException | Error e) {
                    llama_h.llama_free(created.value());
                    throw e;
                }
                return self[0];
            } catch (RuntimeException | Error e) {
                llama_jvm_abort_h.llama_jvm_abort_throttle_free(throttle);
                throw e;
            }
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

    @Override
    protected Decoded decodeBatch(int[] tokens, int offset, int n, int firstPosition) {
        MemorySegment.copy(tokens, offset, tokenBuffer, ValueLayout.JAVA_INT, 0, n);
        MemorySegment batch = llama_h.llama_batch_get_one(batchAllocator, tokenBuffer, n);
        for (int i = 0; i < n; i++) {
            positionBuffer.setAtIndex(ValueLayout.JAVA_INT, i, firstPosition + i);
        }
        llama_batch.pos(batch, positionBuffer);
        NativeLog.Captured<Integer> decoded = NativeLog.capture(() ->
                llama_jvm_guard_h.llama_jvm_decode(context, batch, decodeError.slot()));
        return new Decoded(decoded.value(), decodeError.take(), decoded.reason());
    }

    @Override
    protected MediaDecoded evaluateMedia(NativePrompt prompt, MediaSpan span, int position, int batchSize) {
        @SuppressWarnings("unchecked")
        ChunkedPrompt<PanamaProjector, MemorySegment> media = (ChunkedPrompt<PanamaProjector, MemorySegment>) prompt;
        List<String> log = new ArrayList<>();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment next = call.allocate(ValueLayout.JAVA_INT);
            int rc = media.projector().evaluate(media.chunk(span), context, position, batchSize, next, log);
            return new MediaDecoded(rc, next.get(ValueLayout.JAVA_INT, 0), log);
        }
    }

    @Override
    protected void clearMemory() {
        llama_h.llama_memory_clear(memory, true);
    }

    @Override
    protected boolean removeFrom(int position) {
        return llama_h.llama_memory_seq_rm(memory, 0, position, -1);
    }

    @Override
    protected int maxPosition() {
        return llama_h.llama_memory_seq_pos_max(memory, 0);
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
    protected LoadedState readState(Path file, int capacity) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ids = a.allocate(ValueLayout.JAVA_INT, capacity);
            MemorySegment count = a.allocate(ValueLayout.JAVA_LONG);
            NativeLog.Captured<Boolean> loaded = NativeLog.capture(() ->
                    llama_h.llama_state_load_file(context, a.allocateFrom(file.toString()), ids, capacity, count));
            if (!loaded.value()) {
                return new LoadedState(null, loaded.reason());
            }
            int n = (int) count.get(ValueLayout.JAVA_LONG, 0);
            return new LoadedState(ids.asSlice(0, (long) n * Integer.BYTES).toArray(ValueLayout.JAVA_INT), List.of());
        }
    }

    MemorySegment context() {
        return context;
    }

    @Override
    public void close() {
        llama_h.llama_free(context);
        llama_jvm_abort_h.llama_jvm_abort_throttle_free(abortThrottle);
        arena.close();
    }
}
