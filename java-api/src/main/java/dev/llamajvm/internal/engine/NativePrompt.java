package dev.llamajvm.internal.engine;

import java.util.List;

/**
 * A prompt with media, tokenized by the projector (mtmd_tokenize): text token ids with
 * {@link MediaSpan#placeholders placeholders} where media sit, and the media chunks a context
 * evaluates ({@link NativeContext#decodeMedia}). Owns the native chunks until closed.
 */
public interface NativePrompt extends AutoCloseable {

    /** The ids, placeholders included: one per position. */
    int[] tokens();

    /** The media in order of position. */
    List<MediaSpan> media();

    /** KV cells the prompt fills: one per token (M-RoPE media fill more cells than positions). */
    default int cells() {
        int cells = tokens().length;
        for (MediaSpan span : media()) {
            cells += span.tokens() - span.length();
        }
        return cells;
    }

    @Override
    void close();
}
