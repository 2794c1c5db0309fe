package dev.llamajvm.internal.jni;

import dev.llamajvm.EmbeddingOptions;
import dev.llamajvm.LlamaException;
import dev.llamajvm.ModelInfo;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.ProjectorOptions;
import dev.llamajvm.Sampling;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.ChatGrammar;
import dev.llamajvm.internal.engine.GgufMetadata;
import dev.llamajvm.internal.engine.ModelFileCheck;
import dev.llamajvm.internal.engine.NativeChatTemplates;
import dev.llamajvm.internal.engine.NativeContext;
import dev.llamajvm.internal.engine.NativeEmbedder;
import dev.llamajvm.internal.engine.NativeFailures;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.internal.engine.ModelBase;
import dev.llamajvm.internal.engine.NativeProjector;
import dev.llamajvm.internal.engine.NativeSampler;
import dev.llamajvm.internal.engine.ProgressRelay;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A llama_model through the JNI bindings. See {@link NativeModel} for threading. */
final class JniModel extends ModelBase {

    private final Llama.llama_model model;
    private final Llama.llama_vocab vocab;
    private final ModelInfo info;

    private JniModel(Llama.llama_model model) {
        this.model = model;
        this.vocab = Llama.llama_model_get_vocab(model);
        this.info = readInfo();
    }

    static JniModel load(Path path, ModelOptions options) {
        ProgressRelay relay = options.progressListener() == null ? null : new ProgressRelay(options.progressListener());
        Pointer token = relay == null ? null : JniRuntime.registerProgress(relay);
        GuardedLoad loaded;
        try (Llama.llama_model_params params = Llama.llama_model_default_params()) {
            params.n_gpu_layers(options.gpuLayers());
            params.load_mode(loadMode(options));
            params.vocab_only(options.vocabOnly());
            if (token != null) {
                params.progress_callback(JniRuntime.progressCallback());
                params.progress_callback_user_data(token);
            }
            loaded = GuardedLoad.of(path, params);
        } finally {
            if (token != null) {
                JniRuntime.release(token);
            }
        }
        if (loaded.model() == null) {
            throw NativeFailures.modelLoad(path, options, loaded.log(), loaded.thrown(), relay);
        }
        try {
            return new JniModel(loaded.model());
        } catch (RuntimeException | Error e) {
            Llama.llama_model_free(loaded.model()); // reading its metadata failed: do not leak it
            throw e;
        }
    }

    /**
     * What a load and the memory estimate's dry run share: the file checked from its header first
     * (what llama.cpp would abort on is refused), then llama_model_load_from_file through the C++
     * guard. {@code model} is null on failure; {@code log} is what llama.cpp logged, {@code thrown}
     * what the guard caught (or null).
     */
    record GuardedLoad(Llama.llama_model model, List<String> log, String thrown) {
        static GuardedLoad of(Path path, Llama.llama_model_params params) {
            ModelFileCheck.check(path, () -> JniGgufMetadata.read(path).map(m -> (GgufMetadata) m));
            GuardSlot error = new GuardSlot();
            try (BytePointer file = JniStrings.utf8(path.toString())) {
                NativeLog.Captured<Llama.llama_model> loaded = NativeLog.capture(
                        () -> Llama.llama_jvm_model_load_from_file(file, params, error.slot()));
                Llama.llama_model model = loaded.value() == null || loaded.value().isNull() ? null : loaded.value();
                return new GuardedLoad(model, loaded.reason(), error.take());
            }
        }
    }

    private static int loadMode(ModelOptions o) {
        if (o.mmap()) {
            return o.mlock() ? Llama.LLAMA_LOAD_MODE_MMAP_MLOCK : Llama.LLAMA_LOAD_MODE_MMAP;
        }
        return o.mlock() ? Llama.LLAMA_LOAD_MODE_MLOCK : Llama.LLAMA_LOAD_MODE_NONE;
    }

    private ModelInfo readInfo() {
        BytePointer template = Llama.llama_model_chat_template(model, (BytePointer) null);
        Map<String, String> metadata = metadata();
        return new ModelInfo(
                metadata.getOrDefault("general.architecture", ""),
                text(size -> metaString(size, (buf, n) -> Llama.llama_model_desc(model, buf, n))),
                Llama.llama_model_n_params(model),
                Llama.llama_model_size(model),
                Llama.llama_model_n_ctx_train(model),
                Llama.llama_model_n_embd(model),
                Llama.llama_model_n_layer(model),
                // A vocab-only model has no layers, and llama_model_n_head then aborts the process.
                Llama.llama_model_n_layer(model) > 0 ? Llama.llama_model_n_head(model) : 0,
                Llama.llama_vocab_n_tokens(vocab),
                new ModelInfo.SpecialTokens(Llama.llama_vocab_bos(vocab), Llama.llama_vocab_eos(vocab),
                        Llama.llama_vocab_eot(vocab), Llama.llama_vocab_sep(vocab), Llama.llama_vocab_nl(vocab),
                        Llama.llama_vocab_pad(vocab)),
                template == null || template.isNull() ? Optional.empty() : Optional.of(JniStrings.read(template)),
                metadata);
    }

    private Map<String, String> metadata() {
        return metadata(Llama.llama_model_meta_count(model),
                (index, size) -> metaString(size, (buf, n) -> Llama.llama_model_meta_key_by_index(model, index, buf, n)),
                (index, size) -> metaString(size, (buf, n) -> Llama.llama_model_meta_val_str_by_index(model, index, buf, n)));
    }

    private interface MetaCall {
        int call(BytePointer buffer, long size);
    }

    private static String metaString(int size, MetaCall call) {
        try (BytePointer buffer = new BytePointer((long) size)) {
            int n = call.call(buffer, size);
            return n < 0 ? "" : n < size ? JniStrings.read(buffer) : null;
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    protected int tokenizeInto(byte[] utf8, int[] out, boolean addSpecial, boolean parseSpecial) {
        GuardSlot error = new GuardSlot();
        try (BytePointer text = JniStrings.cString(utf8); IntPointer tokens = new IntPointer((long) out.length)) {
            // Through the guard: llama.cpp's tokenizers throw on what they cannot handle.
            int n = Llama.llama_jvm_tokenize(vocab, text, utf8.length, tokens, out.length, addSpecial, parseSpecial,
                    error.slot());
            String thrown = error.take();
            if (thrown != null) {
                throw new LlamaException("llama.cpp could not tokenize the text (" + utf8.length + " bytes): " + thrown);
            }
            if (n > 0) {
                tokens.get(out, 0, n);
            }
            return n;
        }
    }

    /** A token's text is short: one native buffer per thread serves every call (no allocation per token). */
    private static final ThreadLocal<BytePointer> PIECE_BUFFER = ThreadLocal.withInitial(() -> new BytePointer(256L));

    @Override
    protected byte[] piece(int token, boolean renderSpecial) {
        BytePointer buffer = PIECE_BUFFER.get();
        int n = Llama.llama_token_to_piece(vocab, token, buffer, (int) buffer.capacity(), 0, renderSpecial);
        if (n < 0) {
            try (BytePointer bigger = new BytePointer((long) -n)) {
                n = Llama.llama_token_to_piece(vocab, token, bigger, -n, 0, renderSpecial);
                return JniStrings.bytes(bigger, n);
            }
        }
        return JniStrings.bytes(buffer, n);
    }

    @Override
    protected byte[] detokenizeChecked(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
        try (IntPointer ids = new IntPointer(tokens)) {
            int capacity = tokens.length * 8 + 16;
            BytePointer text = new BytePointer((long) capacity);
            try {
                int n = Llama.llama_detokenize(vocab, ids, tokens.length, text, capacity, removeSpecial, unparseSpecial);
                if (n < 0) {
                    text.close();
                    capacity = -n;
                    text = new BytePointer((long) capacity);
                    n = Llama.llama_detokenize(vocab, ids, tokens.length, text, capacity, removeSpecial, unparseSpecial);
                }
                return JniStrings.bytes(text, n);
            } finally {
                text.close();
            }
        }
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return Llama.llama_vocab_is_eog(vocab, token);
    }

    @Override
    protected NativeChatTemplates templates() {
        return JniChatTemplates.create(model, vocab, null, null, null);
    }

    @Override
    protected boolean hasTokenizer() {
        return Llama.llama_vocab_type(vocab) != Llama.LLAMA_VOCAB_TYPE_NONE;
    }

    Llama.llama_model model() {
        return model;
    }

    Llama.llama_vocab vocab() {
        return vocab;
    }

    @Override
    public NativeProjector loadProjector(Path path, ProjectorOptions options) {
        return JniProjector.load(this, path, options);
    }

    @Override
    public NativeContext newContext(SessionOptions options) {
        return JniContext.create(this, options);
    }

    @Override
    protected NativeSampler sampler(Sampling sampling, ChatGrammar grammar) {
        return JniSampler.create(this, sampling, grammar);
    }

    @Override
    public NativeEmbedder newEmbedder(EmbeddingOptions options) {
        return JniEmbedder.create(this, options);
    }

    @Override
    public void close() {
        Llama.llama_model_free(model);
    }
}
