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
import dev.llamajvm.internal.engine.NativeModel;
import dev.llamajvm.internal.engine.NativeProjector;
import dev.llamajvm.internal.engine.NativeSampler;
import dev.llamajvm.internal.engine.ProgressRelay;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/** A llama_model through the JNI bindings. See {@link NativeModel} for threading. */
final class JniModel implements NativeModel {

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

    /** Calls a C "write into buf, return the length" function with a buffer that grows until it fits. */
    private static String text(IntFunction<String> withBufferOf) {
        for (int size = 256; ; size *= 4) {
            String s = withBufferOf.apply(size);
            if (s != null) {
                return s;
            }
        }
    }

    private Map<String, String> metadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        int count = Llama.llama_model_meta_count(model);
        for (int i = 0; i < count; i++) {
            int index = i;
            String key = text(size -> metaString(size, (buf, n) -> Llama.llama_model_meta_key_by_index(model, index, buf, n)));
            String value = text(size -> metaString(size, (buf, n) -> Llama.llama_model_meta_val_str_by_index(model, index, buf, n)));
            metadata.put(key, value);
        }
        return metadata;
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
    public int[] tokenize(byte[] utf8, boolean addSpecial, boolean parseSpecial) {
        requireTokenizer();
        GuardSlot error = new GuardSlot();
        try (BytePointer text = JniStrings.cString(utf8)) {
            int capacity = utf8.length + 2;
            int[] tokens = new int[capacity];
            int n = tokenize(text, utf8.length, tokens, addSpecial, parseSpecial, error);
            if (n < 0) {
                if (n == Integer.MIN_VALUE) {
                    throw new LlamaException("the text is too long to tokenize (" + utf8.length + " bytes)");
                }
                tokens = new int[-n];
                n = tokenize(text, utf8.length, tokens, addSpecial, parseSpecial, error);
            }
            return java.util.Arrays.copyOf(tokens, n);
        }
    }

    /** llama_tokenize through the guard: its tokenizers throw on what they cannot handle. */
    private int tokenize(BytePointer text, int length, int[] tokens, boolean addSpecial, boolean parseSpecial,
                         GuardSlot error) {
        int n;
        try (IntPointer out = new IntPointer((long) tokens.length)) {
            n = Llama.llama_jvm_tokenize(vocab, text, length, out, tokens.length, addSpecial, parseSpecial, error.slot());
            if (n > 0) {
                out.get(tokens, 0, n);
            }
        }
        String thrown = error.take();
        if (thrown != null) {
            throw new LlamaException("llama.cpp could not tokenize the text (" + length + " bytes): " + thrown);
        }
        return n;
    }

    /** A token's text is short: one native buffer per thread serves every call (no allocation per token). */
    private static final ThreadLocal<BytePointer> PIECE_BUFFER = ThreadLocal.withInitial(() -> new BytePointer(256L));

    @Override
    public byte[] tokenBytes(int token, boolean renderSpecial) {
        checkToken(token);
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
    public byte[] detokenize(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
        for (int token : tokens) {
            checkToken(token);
        }
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

    /** llama.cpp indexes arrays with token ids unchecked: a bad id must not reach it. */
    private void checkToken(int token) {
        if (token < 0 || token >= info.vocabularySize()) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0.."
                    + (info.vocabularySize() - 1) + ")");
        }
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return Llama.llama_vocab_is_eog(vocab, token);
    }

    private volatile int[] endOfGeneration;

    @Override
    public int[] endOfGenerationTokens() {
        int[] tokens = endOfGeneration;
        if (tokens == null) {
            tokens = java.util.stream.IntStream.range(0, info.vocabularySize())
                    .filter(t -> Llama.llama_vocab_is_eog(vocab, t)).toArray();
            endOfGeneration = tokens;
        }
        return tokens;
    }

    @Override
    public NativeChatTemplates chatTemplates() {
        requireTokenizer(); // rendering tokenizes the template's special words
        return JniChatTemplates.create(model, vocab, null, null, null);
    }

    /**
     * A vocabulary of type "none" (tokenizer.ggml.model = none) has no tokenizer, and llama.cpp's
     * tokenizer then fails a GGML_ASSERT, which ends the process.
     */
    private void requireTokenizer() {
        if (Llama.llama_vocab_type(vocab) == Llama.LLAMA_VOCAB_TYPE_NONE) {
            throw new LlamaException("this model has no tokenizer (its GGUF says tokenizer.ggml.model = none):"
                    + " it cannot tokenize text");
        }
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
    public NativeSampler newSampler(Sampling sampling) {
        requireTokenizer(); // DRY and grammars tokenize their words
        return JniSampler.create(this, sampling, null);
    }

    @Override
    public NativeSampler newSampler(Sampling sampling, ChatGrammar grammar) {
        requireTokenizer();
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
