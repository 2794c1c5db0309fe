package dev.llamajvm;

import dev.llamajvm.internal.Generation;
import dev.llamajvm.internal.OutputRules;
import dev.llamajvm.internal.Pieces;
import dev.llamajvm.internal.TokenHistory;
import dev.llamajvm.internal.engine.NativeContext;
import dev.llamajvm.internal.engine.NativeModel;
import dev.llamajvm.internal.engine.NativePrompt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A text-completion session: one llama.cpp context (its KV cache) on a {@link LlamaModel}. Each
 * call continues from what the cache holds: a prompt sharing a prefix with the previous prompt and
 * reply reuses it instead of evaluating it again.
 *
 * <p>Owns its native context; {@link #close()} frees it (closing the model closes its sessions).
 * One thread at a time: a call while another thread is inside one throws
 * {@link IllegalStateException}. So does a call that would start or change state (complete, stream,
 * reset, state files) from inside a callback of this session's own call, on its own thread: it
 * would corrupt the reply in progress; the callback may still read ({@link #cachedTokens()}, ...).
 * {@link #cancel()} may be called from any thread.
 */
public final class Session implements AutoCloseable {

    private final LlamaModel model;
    private final NativeModel nativeModel;
    private final NativeContext context;
    private final TokenHistory history = new TokenHistory();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private volatile boolean cancelRequested;
    /** Set by close before it waits for the lock: stops a generation even one that started after it. */
    private volatile boolean closing;
    private volatile Thread worker;
    /** The generation a stream is still reading, abandoned when a new call starts. */
    private Generation current;
    /** True while a call runs (its callbacks included): a second one on the same thread is refused. */
    private boolean inCall;
    /** The reply of the latest call once complete; null while it is not (or never was). */
    private Reply lastReply;

    Session(LlamaModel model, NativeModel nativeModel, SessionOptions options) {
        this.model = model;
        this.nativeModel = nativeModel;
        this.context = nativeModel.newContext(options.forModel(nativeModel.info().trainedContextLength()));
        this.context.setAbortCheck(this::shouldAbort);
    }

    /** The model this session runs on. */
    public LlamaModel model() {
        return model;
    }

    /** Tokens the context holds in all (its size). */
    public int contextSize() {
        return locked(context::contextSize);
    }

    /**
     * Positions the KV cache holds now: one per token, except that an image of an M-RoPE model
     * (Qwen2-VL and later) fills more cells than the positions it spans.
     */
    public int cachedTokens() {
        return locked(history::size);
    }

    /** Completes {@code prompt} with the default options (greedy, up to 256 tokens). */
    public Reply complete(String prompt) {
        return complete(prompt, GenerateOptions.defaults());
    }

    /** Completes {@code prompt} and returns the whole reply. */
    public Reply complete(String prompt, GenerateOptions options) {
        return complete(prompt, options, piece -> { });
    }

    /**
     * Completes {@code prompt}, handing each piece of text to {@code onPiece} as it is generated
     * (on this thread). If {@code onPiece} throws, generation stops and the exception propagates;
     * the session stays usable.
     */
    public Reply complete(String prompt, GenerateOptions options, Consumer<String> onPiece) {
        return call(() -> {
            startCall();
            return run(tokenize(prompt), options, onPiece);
        });
    }

    /** Generates a reply to prompt tokens; the caller holds the lock. */
    Reply run(int[] prompt, GenerateOptions options, Consumer<String> onPiece) {
        return run(begin(prompt, null, options, OutputRules.NONE), onPiece);
    }

    /** Generates the rest of a {@link #begin begun} reply; the caller holds the lock. */
    Reply run(Generation begun, Consumer<String> onPiece) {
        try (Generation generation = begun) {
            lastReply = generation.drain(onPiece);
            return lastReply;
        } finally {
            current = null;
        }
    }

    /** Streams the completion of {@code prompt} with the default options. */
    public Stream<String> stream(String prompt) {
        return stream(prompt, GenerateOptions.defaults());
    }

    /**
     * Streams the completion of {@code prompt} as pieces of text, generated lazily as the stream is
     * read (on the reading thread). Close the stream, or read it to the end, before the next call;
     * a new call abandons an unfinished stream, whose next read then throws IllegalStateException.
     * Once the stream has ended, {@link #lastReply()} has the whole reply, with its stop reason.
     */
    public Stream<String> stream(String prompt, GenerateOptions options) {
        return call(() -> {
            startCall();
            return stream(begin(tokenize(prompt), null, options, OutputRules.NONE), reply -> { });
        });
    }

    /**
     * Begins a generating call: a cancel() from before it does not apply to it. Called first thing
     * under the lock, before tokenizing, so a cancel() racing the start of the call is kept.
     */
    void startCall() {
        cancelRequested = false;
        lastReply = null;
    }

    /**
     * The reply of the latest call ({@link #complete}, or a {@link #stream} read to its end) with
     * its stop reason, timings and tokens; null before the first call, and while the latest call's
     * reply is not complete (a stream still being read, or one closed early, or a failed call). A
     * chat's session holds the raw reply; {@link ChatSession#lastReply()} has it parsed.
     */
    public Reply lastReply() {
        return locked(() -> lastReply);
    }

    /** Streams the rest of a {@link #begin begun} reply; {@code whenDone} hears it once complete. */
    Stream<String> stream(Generation generation, Consumer<Reply> whenDone) {
        return Pieces.stream(() -> locked(() -> {
                    if (current != generation) {
                        throw new IllegalStateException("this stream was abandoned: a newer call on the session started");
                    }
                    String piece = generation.next();
                    if (piece == null) {
                        current = null;
                        lastReply = generation.reply();
                        whenDone.accept(lastReply);
                    }
                    return piece;
                }))
                .onClose(() -> lockedIfOpen(() -> {
                    if (current == generation) {
                        generation.close();
                        current = null;
                    }
                    return null;
                }));
    }

    /**
     * Stops the generation in progress, if any, as soon as possible (also mid-prompt); its reply
     * ends with {@link Reply.StopReason#CANCELLED}. Any thread may call it.
     */
    public void cancel() {
        cancelRequested = true;
    }

    /** Saves the KV cache and its tokens to a file (llama.cpp's session format). */
    public void saveState(Path file) {
        call(() -> {
            context.saveState(file, history.toArray());
            return null;
        });
    }

    /** Restores a state saved by {@link #saveState}, from this model. */
    public void loadState(Path file) {
        call(() -> {
            try {
                history.replaceWith(context.loadState(file));
            } catch (RuntimeException | Error e) {
                history.truncate(0); // a failed load leaves the cache empty
                throw e;
            }
            return null;
        });
    }

    /** Drops everything the KV cache holds. */
    public void reset() {
        call(() -> {
            context.truncate(0);
            history.truncate(0);
            return null;
        });
    }

    /** Frees the context; waits for a generation in progress on another thread to stop. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closing = true;
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                if (current != null) {
                    current.close();
                    current = null;
                }
                context.close();
                model.forget(this);
            }
        } finally {
            lock.unlock();
        }
    }

    int[] tokenize(String text) {
        return nativeModel.tokenize(text.getBytes(StandardCharsets.UTF_8), true, false);
    }

    /** Starts a generation (evaluates the prompt); the caller holds the lock. */
    Generation begin(int[] prompt, NativePrompt media, GenerateOptions options, OutputRules rules) {
        rules.refuseIgnoreEosWithGrammar(options);
        if (current != null) {
            current.close();
            current = null;
        }
        Sampling sampling = sampling(options);
        current = Generation.start(nativeModel, context, rules.grammar() == null ? nativeModel.newSampler(sampling)
                        : nativeModel.newSampler(sampling, rules.grammar()), options,
                history, prompt, media, this::shouldAbort, rules.shownSpecial());
        return current;
    }

    /**
     * The chain to sample with. Ignoring EOS means, as in llama.cpp (--ignore-eos), that no
     * end-of-generation token can be picked at all: their logits become -infinity.
     */
    private Sampling sampling(GenerateOptions options) {
        if (!options.ignoreEos()) {
            return options.sampling();
        }
        java.util.Map<Integer, Float> ban = new java.util.HashMap<>();
        for (int token : nativeModel.endOfGenerationTokens()) {
            ban.put(token, Float.NEGATIVE_INFINITY);
        }
        java.util.List<Sampling.Stage> stages = new java.util.ArrayList<>();
        stages.add(new Sampling.LogitBias(ban));
        stages.addAll(options.sampling().stages());
        return new Sampling(stages, options.sampling().seed());
    }

    private String closedReason() {
        return model.isClosed() ? "the model " + model.path().getFileName() + " was closed, which closed this session"
                : "this session is closed";
    }

    private boolean shouldAbort() {
        Thread t = worker;
        return closing || cancelRequested || (t != null && t.isInterrupted());
    }

    /** Like {@link #locked} but does nothing on a closed session (closing frees everything). */
    void lockedIfOpen(java.util.function.Supplier<?> work) {
        lock.lock();
        try {
            if (!closed) {
                work.get();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a call that generates or changes the session's state, as the one thread in this
     * session; refused from inside another such call on the same thread (from its callback).
     */
    <T> T call(java.util.function.Supplier<T> work) {
        return locked(() -> {
            if (inCall) {
                throw new IllegalStateException("a callback of this session's call cannot start another call on the"
                        + " session: it would corrupt the reply in progress; make it after the call returns");
            }
            inCall = true;
            try {
                return work.get();
            } finally {
                inCall = false;
            }
        });
    }

    /** Runs {@code work} as the one thread in this session, failing fast if another thread is in. */
    <T> T locked(java.util.function.Supplier<T> work) {
        if (!lock.tryLock()) {
            if (closing) { // close holds the lock, or waits for it: say so, not that the session is busy
                throw new IllegalStateException(closedReason());
            }
            throw new IllegalStateException("this session is in use by another thread; a session serves one thread at a time");
        }
        Thread previous = worker;
        try {
            if (closed) {
                throw new IllegalStateException(closedReason());
            }
            worker = Thread.currentThread();
            return work.get();
        } finally {
            worker = previous;
            lock.unlock();
        }
    }
}
