package dev.llamajvm.internal;

import dev.llamajvm.GenerateOptions;
import dev.llamajvm.PromptTooLongException;
import dev.llamajvm.Reply;
import dev.llamajvm.Reply.StopReason;
import dev.llamajvm.internal.engine.MediaSpan;
import dev.llamajvm.internal.engine.NativeContext;
import dev.llamajvm.internal.engine.NativePrompt;
import dev.llamajvm.internal.engine.NativeModel;
import dev.llamajvm.internal.engine.NativeSampler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One reply being generated: evaluates the prompt (reusing the cached prefix), then hands out text
 * piece by piece. Pieces hold whole characters only and never part of a stop string; together
 * they equal the reply's text. Used by one thread at a time (the session's lock).
 */
public final class Generation implements AutoCloseable {

    private final NativeModel model;
    private final NativeContext context;
    private final NativeSampler sampler;
    private final GenerateOptions options;
    private final TokenHistory history;
    private final BooleanSupplier cancelled;
    private final java.util.Set<Integer> shownSpecial;
    private final Utf8Decoder utf8 = new Utf8Decoder();
    private final StopStrings stops;
    private final StringBuilder text = new StringBuilder();
    private final List<Integer> generated = new ArrayList<>();
    private final int promptEvaluated;
    private final int promptCached;
    private final long promptNanos;
    /** KV cells the prompt's media fill beyond the positions they span (M-RoPE); 0 otherwise. */
    private final int mediaExtraCells;
    private long generationNanos;
    private int emitted;
    private int undecoded = -1;
    private final int[] single = new int[1];
    private StopReason stopReason;
    private boolean finished;

    private Generation(NativeModel model, NativeContext context, NativeSampler sampler, GenerateOptions options,
                       TokenHistory history, BooleanSupplier cancelled, java.util.Set<Integer> shownSpecial,
                       int promptEvaluated, int promptCached, long promptNanos, int mediaExtraCells,
                       StopReason earlyStop) {
        this.model = model;
        this.context = context;
        this.sampler = sampler;
        this.options = options;
        this.history = history;
        this.cancelled = cancelled;
        this.shownSpecial = shownSpecial;
        this.stops = new StopStrings(options.stopStrings());
        this.promptEvaluated = promptEvaluated;
        this.promptCached = promptCached;
        this.promptNanos = promptNanos;
        this.mediaExtraCells = mediaExtraCells;
        this.stopReason = earlyStop;
    }

    /**
     * Evaluates what of {@code prompt} the cache does not hold yet and returns the generation,
     * ready for {@link #next()}. Takes ownership of {@code sampler}. Special tokens in
     * {@code shownSpecial} are written out as text; the others are not.
     */
    public static Generation start(NativeModel model, NativeContext context, NativeSampler sampler,
                                   GenerateOptions options, TokenHistory history, int[] prompt,
                                   BooleanSupplier cancelled, java.util.Set<Integer> shownSpecial) {
        return start(model, context, sampler, options, history, prompt, null, cancelled, shownSpecial);
    }

    /**
     * Like {@link #start(NativeModel, NativeContext, NativeSampler, GenerateOptions, TokenHistory,
     * int[], BooleanSupplier, java.util.Set)} for a prompt with media: {@code prompt} is
     * {@code media}'s tokens (placeholders where media sit), or {@code media} is null.
     */
    public static Generation start(NativeModel model, NativeContext context, NativeSampler sampler,
                                   GenerateOptions options, TokenHistory history, int[] prompt, NativePrompt media,
                                   BooleanSupplier cancelled, java.util.Set<Integer> shownSpecial) {
        try {
            if (prompt.length == 0) {
                throw new IllegalArgumentException("the prompt has no tokens");
            }
            int cells = media == null ? prompt.length : media.cells();
            if (cells >= context.contextSize()) {
                throw new PromptTooLongException("the prompt has " + cells + " tokens; the context holds "
                        + context.contextSize() + " (one more is needed for the reply)");
            }
            PromptEvaluator evaluator = new PromptEvaluator(prompt, media);
            // The last prompt token is always evaluated again: its logits pick the first reply token.
            int reusable = evaluator.keepable(Math.min(history.commonPrefix(prompt), prompt.length - 1));
            context.truncate(reusable);
            // Some caches (recurrent models) cannot drop part of a sequence and start over instead.
            int cached = context.cachedTokens();
            history.truncate(cached);
            for (int token : prompt) {
                if (!MediaSpan.isPlaceholder(token)) {
                    sampler.accept(token);
                }
            }
            long start = System.nanoTime();
            boolean done = evaluator.evaluate(context, history, cached);
            long nanos = System.nanoTime() - start;
            return new Generation(model, context, sampler, options, history, cancelled, shownSpecial,
                    done ? prompt.length - cached : 0, cached, nanos, cells - prompt.length,
                    done ? null : StopReason.CANCELLED);
        } catch (RuntimeException | Error e) {
            sampler.close();
            throw e;
        }
    }

    /** The next piece of text, or null when the reply is complete. */
    public String next() {
        long start = System.nanoTime();
        try {
            while (!finished) {
                if (stopReason != null) {
                    return finish();
                }
                String piece = step();
                if (piece != null) {
                    return piece;
                }
            }
            return null;
        } finally {
            generationNanos += System.nanoTime() - start;
        }
    }

    /** Generates one token; returns text that became safe to hand out, or null. */
    private String step() {
        if (generated.size() >= options.maxTokens()) {
            stopReason = StopReason.MAX_TOKENS;
            return null;
        }
        if (cancelled.getAsBoolean()) {
            stopReason = StopReason.CANCELLED;
            return null;
        }
        if (undecoded >= 0) {
            if (history.size() + mediaExtraCells >= context.contextSize()) {
                stopReason = StopReason.CONTEXT_FULL;
                return null;
            }
            single[0] = undecoded;
            if (!context.decode(single, 0, 1)) {
                stopReason = StopReason.CANCELLED;
                return null;
            }
            history.add(undecoded);
            undecoded = -1;
        }
        int token = sampler.sample(context);
        if (!options.ignoreEos() && model.isEndOfGeneration(token)) {
            stopReason = StopReason.END_OF_GENERATION;
            return null;
        }
        generated.add(token);
        undecoded = token;
        text.append(utf8.decode(model.tokenBytes(token, shownSpecial.contains(token))));
        int stopAt = stops.find(text, emitted);
        if (stopAt >= 0) {
            text.setLength(stopAt);
            stopReason = StopReason.STOP_STRING;
            return null;
        }
        return emit(stops.safeLength(text));
    }

    private String finish() {
        finished = true;
        sampler.close();
        if (stopReason != StopReason.STOP_STRING) {
            text.append(utf8.finish());
        }
        return emit(text.length());
    }

    private String emit(int upTo) {
        if (upTo <= emitted) {
            return null;
        }
        String piece = text.substring(emitted, upTo);
        emitted = upTo;
        return piece;
    }

    /** Runs to the end, handing each piece to {@code sink}, and returns the reply. */
    public Reply drain(java.util.function.Consumer<String> sink) {
        for (String piece = next(); piece != null; piece = next()) {
            sink.accept(piece);
        }
        return reply();
    }

    /** The reply; only once {@link #next()} has returned null. */
    public Reply reply() {
        if (!finished) {
            throw new IllegalStateException("the reply is not complete yet");
        }
        return new Reply(text.toString(), generated, stopReason, promptEvaluated, promptCached,
                new Reply.Timings(promptNanos / 1e6, generationNanos / 1e6, promptEvaluated, generated.size()));
    }

    /** Abandons the generation (its sampler is freed); the session stays consistent. */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            sampler.close();
        }
    }
}
