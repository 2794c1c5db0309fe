package dev.llamajvm.internal.engine;

import java.util.List;

/**
 * A multimodal projector (an mtmd_context) bound to one model. Thread-safe: native calls are
 * serialised inside, since libmtmd's encoder is not. {@link #close()} must not race other calls.
 */
public interface NativeProjector extends AutoCloseable {

    boolean supportsVision();

    boolean supportsAudio();

    /** Audio sample rate in Hz, or -1 without audio support. */
    int audioSampleRate();

    /** The text that marks where media go in a prompt. */
    String marker();

    /**
     * Decodes an encoded image or audio file, or wraps pixels or samples.
     *
     * @throws dev.llamajvm.InvalidMediaException with libmtmd's reason when it cannot
     */
    NativeMedia media(MediaSource source);

    /**
     * Tokenizes {@code text}, whose markers stand for {@code media} in order (BOS added as the
     * vocabulary wants, special tokens parsed).
     *
     * @throws dev.llamajvm.InvalidMediaException when markers and media do not match or a
     *                                            medium cannot be preprocessed
     */
    NativePrompt tokenize(String text, List<NativeMedia> media);

    @Override
    void close();
}
