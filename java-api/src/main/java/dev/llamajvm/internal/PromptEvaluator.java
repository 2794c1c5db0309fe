package dev.llamajvm.internal;

import dev.llamajvm.internal.engine.MediaSpan;
import dev.llamajvm.internal.engine.NativeContext;
import dev.llamajvm.internal.engine.NativePrompt;

import java.util.List;

/**
 * Evaluates a prompt into a context after the prefix its cache already holds: runs of text by
 * llama_decode, media spans by their projector. Media are all or nothing: a cached prefix that
 * ends inside an image is cut back to the image's start, since half an image cannot be resumed.
 */
final class PromptEvaluator {

    private final int[] prompt;
    private final List<MediaSpan> media;
    private final NativePrompt mediaPrompt;

    /** {@code mediaPrompt} is null for text only; otherwise {@code prompt} is its tokens. */
    PromptEvaluator(int[] prompt, NativePrompt mediaPrompt) {
        this.prompt = prompt;
        this.mediaPrompt = mediaPrompt;
        this.media = mediaPrompt == null ? List.of() : mediaPrompt.media();
        if (prompt.length > 0 && MediaSpan.isPlaceholder(prompt[prompt.length - 1])) {
            throw new IllegalArgumentException("a prompt must end with text, not media: the reply's first token"
                    + " is picked from the last text token's logits");
        }
    }

    /** How much of a cached prefix of {@code cachedMatch} positions can be kept. */
    int keepable(int cachedMatch) {
        for (MediaSpan span : media) {
            if (span.start() < cachedMatch && cachedMatch < span.end()) {
                return span.start();
            }
        }
        return cachedMatch;
    }

    /**
     * Evaluates from {@code from} (where the cache ends) to the end, recording what the cache takes
     * in {@code history} as it goes.
     *
     * @return false when the abort check stopped it; what was evaluated before stays cached
     */
    boolean evaluate(NativeContext context, TokenHistory history, int from) {
        int position = from;
        for (MediaSpan span : media) {
            if (span.end() <= position) {
                continue;
            }
            if (!text(context, history, position, span.start())
                    || !context.decodeMedia(mediaPrompt, span)) {
                return false;
            }
            history.addAll(prompt, span.start(), span.length());
            position = span.end();
        }
        return text(context, history, position, prompt.length);
    }

    private boolean text(NativeContext context, TokenHistory history, int from, int to) {
        if (to > from) {
            if (!context.decode(prompt, from, to - from)) {
                return false;
            }
            history.addAll(prompt, from, to - from);
        }
        return true;
    }
}
