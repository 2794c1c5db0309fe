package dev.llamajvm;

import dev.llamajvm.internal.ChildProcessLoad;
import dev.llamajvm.internal.Lifetime;
import dev.llamajvm.internal.engine.Engine;
import dev.llamajvm.internal.engine.NativeModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A GGUF model loaded into memory: weights, vocabulary and metadata.
 *
 * <pre>{@code
 * try (LlamaModel model = LlamaModel.load(Path.of("model.gguf"));
 *      Session session = model.newSession()) {
 *     session.stream("Once upon a time", GenerateOptions.defaults()).forEach(System.out::print);
 * }
 * }</pre>
 *
 * <p>Owns the native model and every session made from it: {@link #close()} closes the sessions
 * first. Thread-safe: many threads may tokenize and open sessions at once; each session then
 * serves one thread at a time.
 */
public final class LlamaModel implements AutoCloseable {

    private final Path path;
    private final NativeModel nativeModel;
    private final ModelInfo info;
    private final Tokenizer tokenizer;
    private final boolean vocabOnly;
    private final Set<AutoCloseable> children = ConcurrentHashMap.newKeySet();
    /** Readers: calls into the model; writer: close, which waits for them. */
    private final Lifetime lifetime;

    private LlamaModel(Path path, NativeModel nativeModel, boolean vocabOnly) {
        this.path = path;
        this.vocabOnly = vocabOnly;
        this.nativeModel = nativeModel;
        this.info = nativeModel.info();
        this.tokenizer = new Tokenizer(this, nativeModel);
        this.lifetime = new Lifetime(() -> "the model " + path.getFileName());
    }

    /** Loads a model with {@link ModelOptions#defaults()}. */
    public static LlamaModel load(Path path) {
        return load(path, ModelOptions.defaults());
    }

    /**
     * Loads a model.
     *
     * @throws ModelLoadException if the file is missing, unreadable, not a GGUF model llama.cpp can
     *                            load, corrupt in a way llama.cpp would abort the process on (the
     *                            message names the key and value), or the progress listener cancelled
     *                            the load; with {@link ModelOptions#verifyInChildProcess(boolean)}, also
     *                            if loading it killed the child JVM
     */
    public static LlamaModel load(Path path, ModelOptions options) {
        if (!Files.isRegularFile(path)) {
            throw new ModelLoadException("no model file at " + path.toAbsolutePath());
        }
        if (!Files.isReadable(path)) {
            throw new ModelLoadException("cannot read " + path.toAbsolutePath());
        }
        if (options.verifyInChildProcess()) {
            ChildProcessLoad.verify(path, options);
        }
        return new LlamaModel(path, Engine.get().loadModel(path, options), options.vocabOnly());
    }

    /**
     * Estimates the memory that {@link #load(Path, ModelOptions) loading} the model and opening one
     * session with {@code session} would take, without allocating it: llama.cpp reads the file's
     * metadata and vocabulary (not its weights) and plans the buffers as a real load would. Check it
     * against free memory before loading a model or choosing a context size that may not fit.
     * Costs about what reading the vocabulary costs (a fraction of a second for a 128K-word one),
     * plus llama.cpp's bookkeeping for the context's cells (48 bytes a token, 768 MiB at the
     * largest context, 2^24 tokens).
     *
     * @throws ModelLoadException       if the file is missing or not a model llama.cpp can read
     * @throws LlamaException           if llama.cpp refuses the session options for this model, or
     *                                  the context is larger than 2^24 tokens
     * @throws IllegalArgumentException if {@code model} is vocabulary-only, which opens no sessions
     */
    public static MemoryEstimate estimateMemory(Path path, ModelOptions model, SessionOptions session) {
        if (model.vocabOnly()) {
            throw new IllegalArgumentException("a vocabulary-only model opens no sessions: there is nothing to estimate");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ModelLoadException("no readable model file at " + path.toAbsolutePath());
        }
        return Engine.get().estimateMemory(path, model, session);
    }

    /** The file this model was loaded from. */
    public Path path() {
        return path;
    }

    /** What the model says about itself. */
    public ModelInfo info() {
        return use(() -> info);
    }

    /** The model's tokenizer; thread-safe. */
    public Tokenizer tokenizer() {
        return use(() -> tokenizer);
    }

    /** Opens a completion session with {@link SessionOptions#defaults()}. */
    public Session newSession() {
        return newSession(SessionOptions.defaults());
    }

    /** Opens a completion session; close it when done (or close the model). */
    public Session newSession(SessionOptions options) {
        return use(() -> register(new Session(this, nativeModel, withWeights(options))));
    }

    /** Opens a chat session formatted with the model's chat template. */
    public ChatSession newChat(ChatOptions options) {
        if (options.projector() != null && options.projector().model() != this) {
            throw new IllegalArgumentException(options.projector() + " was loaded for " + options.projector().model()
                    + ", not for " + this);
        }
        return use(() -> {
            ChatTemplate template = templateOfModel();
            return register(new ChatSession(new Session(this, nativeModel, withWeights(options.session())),
                    nativeModel, template, options));
        });
    }

    /**
     * The model's chat template, as llama.cpp's chat code reads it from the model's metadata
     * (ChatML where the model has none). Owned by the model, whose chats use it: its
     * {@link ChatTemplate#close()} does nothing (so try-with-resources is harmless), and closing
     * the model frees it.
     *
     * @throws ChatFormatException if llama.cpp cannot parse the model's template
     */
    public ChatTemplate chatTemplate() {
        return use(this::templateOfModel);
    }

    private ChatTemplate chatTemplate;

    private synchronized ChatTemplate templateOfModel() {
        if (chatTemplate == null) {
            ChatTemplate own = ChatTemplate.ofModel(nativeModel.chatTemplates(), "of " + path.getFileName());
            register((AutoCloseable) own::free);
            chatTemplate = own;
        }
        return chatTemplate;
    }

    /** Opens a chat session with {@link ChatOptions#defaults()}. */
    public ChatSession newChat() {
        return newChat(ChatOptions.defaults());
    }

    /** Loads a multimodal projector for this model with {@link ProjectorOptions#defaults()}. */
    public Projector loadProjector(Path mmproj) {
        return loadProjector(mmproj, ProjectorOptions.defaults());
    }

    /**
     * Loads the multimodal projector (mmproj GGUF) made for this model, through llama.cpp's
     * libmtmd; give it to chats with {@link ChatOptions#projector(Projector)}. Closing the model
     * closes it.
     *
     * @throws ModelLoadException if the file is missing, not a projector, or does not fit this
     *                            model (libmtmd's reason, e.g. its embedding width, is in the message)
     */
    public Projector loadProjector(Path mmproj, ProjectorOptions options) {
        if (!Files.isRegularFile(mmproj)) {
            throw new ModelLoadException("no projector file at " + mmproj.toAbsolutePath());
        }
        if (!Files.isReadable(mmproj)) {
            throw new ModelLoadException("cannot read " + mmproj.toAbsolutePath());
        }
        return use(() -> register(new Projector(this, mmproj, nativeModel.loadProjector(mmproj, withWeights(options)),
                options)));
    }

    /** Opens an embedder with {@link EmbeddingOptions#defaults()}. */
    public Embedder newEmbedder() {
        return newEmbedder(EmbeddingOptions.defaults());
    }

    /** Opens an embedder; close it when done (or close the model). */
    public Embedder newEmbedder(EmbeddingOptions options) {
        return use(() -> register(new Embedder(this, nativeModel, withWeights(options))));
    }

    /** A vocabulary-only model has no weights: llama.cpp cannot evaluate anything with it. */
    private <T> T withWeights(T options) {
        if (vocabOnly) {
            throw new IllegalStateException("the model " + path.getFileName()
                    + " was loaded vocabulary-only: it can tokenize, not generate or embed");
        }
        return options;
    }

    private <T extends AutoCloseable> T register(T child) {
        children.add(child);
        return child;
    }

    void forget(AutoCloseable child) {
        children.remove(child);
    }

    /** True once {@link #close()} has begun (its sessions are closed after this turns true). */
    boolean isClosed() {
        return lifetime.isClosed();
    }

    /** Runs {@code work} on the open model; close waits for it. */
    <T> T use(Supplier<T> work) {
        return lifetime.use(work);
    }

    /**
     * Closes every session of this model, then frees the model. Idempotent. Waits for generations
     * in progress to stop; a callback of theirs that calls into this model meanwhile gets an
     * IllegalStateException instead of a deadlock.
     */
    @Override
    public void close() {
        List<AutoCloseable> open = new ArrayList<>();
        // Waits for calls in progress (one registering a session, say), then takes the children.
        if (!lifetime.close(() -> open.addAll(children))) {
            return;
        }
        LlamaException failure = null;
        for (AutoCloseable child : open) {
            try {
                child.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new LlamaException("closing a session of " + path.getFileName() + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        lifetime.exclusively(nativeModel::close);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "LlamaModel[" + path.getFileName() + ", " + info.description() + (lifetime.isClosed() ? ", closed" : "") + "]";
    }
}
