package dev.llamajvm.internal.panama;

import dev.llamajvm.EmbeddingOptions;
import dev.llamajvm.LlamaException;
import dev.llamajvm.ModelInfo;
import dev.llamajvm.ModelLoadException;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.ProgressListener;
import dev.llamajvm.ProjectorOptions;
import dev.llamajvm.Sampling;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.bindings.llama_jvm_guard_h;
import dev.llamajvm.bindings.llama_model_params;
import dev.llamajvm.bindings.llama_progress_callback;
import dev.llamajvm.internal.engine.AllocationFailure;
import dev.llamajvm.internal.engine.NativeContext;
import dev.llamajvm.internal.engine.NativeEmbedder;
import dev.llamajvm.internal.engine.ChatGrammar;
import dev.llamajvm.internal.engine.ModelFileCheck;
import dev.llamajvm.internal.engine.NativeChatTemplates;
import dev.llamajvm.internal.engine.ModelBase;
import dev.llamajvm.internal.engine.NativeProjector;
import dev.llamajvm.internal.engine.NativeSampler;
import dev.llamajvm.internal.engine.NativeFailures;
import dev.llamajvm.internal.engine.ProgressRelay;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A llama_model through the Panama bindings. See {@link NativeModel} for threading. */
final class PanamaModel extends ModelBase {

    private final MemorySegment model;
    private final MemorySegment vocab;
    private final ModelInfo info;

    private PanamaModel(MemorySegment model) {
        this.model = model;
        this.vocab = llama_h.llama_model_get_vocab(model);
        this.info = readInfo();
    }

    static PanamaModel load(Path path, ModelOptions options) {
        ProgressRelay relay = options.progressListener() == null ? null : new ProgressRelay(options.progressListener());
        GuardedLoad loaded;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = llama_h.llama_model_default_params(arena);
            llama_model_params.n_gpu_layers(params, options.gpuLayers());
            llama_model_params.load_mode(params, loadMode(options));
            llama_model_params.vocab_only(params, options.vocabOnly());
            if (options.progressListener() != null) {
                llama_model_params.progress_callback(params,
                        llama_progress_callback.allocate((progress, userData) -> relay.onProgress(progress), arena));
            }
            loaded = GuardedLoad.of(path, params, arena);
        }
        if (loaded.model().equals(MemorySegment.NULL)) {
            throw NativeFailures.modelLoad(path, options, loaded.log(), loaded.thrown(), relay);
        }
        try {
            return new PanamaModel(loaded.model());
        } catch (RuntimeException | Error e) {
            llama_h.llama_model_free(loaded.model()); // reading its metadata failed: do not leak it
            throw e;
        }
    }

    /**
     * What a load and the memory estimate's dry run share: the file checked from its header first
     * (what llama.cpp would abort on is refused), then llama_model_load_from_file through the C++
     * guard. {@code model} is NULL on failure; {@code log} is what llama.cpp logged, {@code thrown}
     * what the guard caught (or null).
     */
    record GuardedLoad(MemorySegment model, List<String> log, String thrown) {
        static GuardedLoad of(Path path, MemorySegment params, Arena arena) {
            ModelFileCheck.check(path, () -> PanamaGgufMetadata.read(path));
            MemorySegment file = arena.allocateFrom(path.toString());
            GuardError error = new GuardError(arena);
            NativeLog.Captured<MemorySegment> loaded = NativeLog.capture(
                    () -> llama_jvm_guard_h.llama_jvm_model_load_from_file(file, params, error.slot()));
            return new GuardedLoad(loaded.value(), loaded.reason(), error.take());
        }
    }

    private static int loadMode(ModelOptions o) {
        if (o.mmap()) {
            return o.mlock() ? llama_h.LLAMA_LOAD_MODE_MMAP_MLOCK() : llama_h.LLAMA_LOAD_MODE_MMAP();
        }
        return o.mlock() ? llama_h.LLAMA_LOAD_MODE_MLOCK() : llama_h.LLAMA_LOAD_MODE_NONE();
    }

    private ModelInfo readInfo() {
        MemorySegment template = llama_h.llama_model_chat_template(model, MemorySegment.NULL);
        Map<String, String> metadata = metadata();
        return new ModelInfo(
                metadata.getOrDefault("general.architecture", ""),
                text(size -> metaString(size, (buf, n) -> llama_h.llama_model_desc(model, buf, n))),
                llama_h.llama_model_n_params(model),
                llama_h.llama_model_size(model),
                llama_h.llama_model_n_ctx_train(model),
                llama_h.llama_model_n_embd(model),
                llama_h.llama_model_n_layer(model),
                // A vocab-only model has no layers, and llama_model_n_head then aborts the process.
                llama_h.llama_model_n_layer(model) > 0 ? llama_h.llama_model_n_head(model) : 0,
                llama_h.llama_vocab_n_tokens(vocab),
                new ModelInfo.SpecialTokens(llama_h.llama_vocab_bos(vocab), llama_h.llama_vocab_eos(vocab),
                        llama_h.llama_vocab_eot(vocab), llama_h.llama_vocab_sep(vocab), llama_h.llama_vocab_nl(vocab),
                        llama_h.llama_vocab_pad(vocab)),
                template.equals(MemorySegment.NULL) ? Optional.empty()
                        : Optional.of(template.reinterpret(Integer.MAX_VALUE).getString(0)),
                metadata);
    }

    private Map<String, String> metadata() {
        return metadata(llama_h.llama_model_meta_count(model),
                (index, size) -> metaString(size, (buf, n) -> llama_h.llama_model_meta_key_by_index(model, index, buf, n)),
                (index, size) -> metaString(size, (buf, n) -> llama_h.llama_model_meta_val_str_by_index(model, index, buf, n)));
    }

    private interface MetaCall {
        int call(MemorySegment buffer, long size);
    }

    private static String metaString(int size, MetaCall call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(size);
            int n = call.call(buffer, size);
            return n < 0 ? "" : n < size ? buffer.getString(0) : null;
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    protected int tokenizeInto(byte[] utf8, int[] out, boolean addSpecial, boolean parseSpecial) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(utf8.length + 1L);
            MemorySegment.copy(utf8, 0, text, ValueLayout.JAVA_BYTE, 0, utf8.length);
            MemorySegment tokens = arena.allocate(ValueLayout.JAVA_INT, out.length);
            GuardError error = new GuardError(arena);
            // Through the guard: llama.cpp's tokenizers throw on what they cannot handle.
            int n = llama_jvm_guard_h.llama_jvm_tokenize(vocab, text, utf8.length, tokens, out.length, addSpecial,
                    parseSpecial, error.slot());
            String thrown = error.take();
            if (thrown != null) {
                throw new LlamaException("llama.cpp could not tokenize the text (" + utf8.length + " bytes): " + thrown);
            }
            if (n > 0) {
                MemorySegment.copy(tokens, ValueLayout.JAVA_INT, 0, out, 0, n);
            }
            return n;
        }
    }

    /** A token's text is short: one native buffer per thread serves every call (no allocation per token). */
    private static final ThreadLocal<MemorySegment> PIECE_BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(256));

    @Override
    protected byte[] piece(int token, boolean renderSpecial) {
        MemorySegment buffer = PIECE_BUFFER.get();
        int n = llama_h.llama_token_to_piece(vocab, token, buffer, (int) buffer.byteSize(), 0, renderSpecial);
        if (n < 0) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment bigger = arena.allocate(-n);
                n = llama_h.llama_token_to_piece(vocab, token, bigger, -n, 0, renderSpecial);
                return bigger.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            }
        }
        return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    protected byte[] detokenizeChecked(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ids = arena.allocateFrom(ValueLayout.JAVA_INT, tokens);
            int capacity = tokens.length * 8 + 16;
            MemorySegment text = arena.allocate(capacity);
            int n = llama_h.llama_detokenize(vocab, ids, tokens.length, text, capacity, removeSpecial, unparseSpecial);
            if (n < 0) {
                capacity = -n;
                text = arena.allocate(capacity);
                n = llama_h.llama_detokenize(vocab, ids, tokens.length, text, capacity, removeSpecial, unparseSpecial);
            }
            return text.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return llama_h.llama_vocab_is_eog(vocab, token);
    }

    @Override
    protected NativeChatTemplates templates() {
        return PanamaChatTemplates.create(model, vocab, null, null, null);
    }

    @Override
    protected boolean hasTokenizer() {
        return llama_h.llama_vocab_type(vocab) != llama_h.LLAMA_VOCAB_TYPE_NONE();
    }

    MemorySegment model() {
        return model;
    }

    MemorySegment vocab() {
        return vocab;
    }

    @Override
    public NativeProjector loadProjector(Path path, ProjectorOptions options) {
        return PanamaProjector.load(this, path, options);
    }

    @Override
    public NativeContext newContext(SessionOptions options) {
        return PanamaContext.create(this, options);
    }

    @Override
    protected NativeSampler sampler(Sampling sampling, ChatGrammar grammar) {
        return PanamaSampler.create(this, sampling, grammar);
    }

    @Override
    public NativeEmbedder newEmbedder(EmbeddingOptions options) {
        return PanamaEmbedder.create(this, options);
    }

    @Override
    public void close() {
        llama_h.llama_model_free(model);
    }
}
