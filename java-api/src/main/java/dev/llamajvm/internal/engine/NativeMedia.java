package dev.llamajvm.internal.engine;

/**
 * A decoded image or audio clip (an mtmd_bitmap) ready to be tokenized, named by a hash of its
 * content: equal content, equal id, which is what lets a chat find an image in its KV cache.
 */
public interface NativeMedia extends AutoCloseable {

    String id();

    boolean isAudio();

    /** Pixels across; for audio, the number of samples. */
    int width();

    /** Pixels down; 1 for audio. */
    int height();

    /** The decoded bytes: RGB pixels, or float samples. */
    byte[] data();

    @Override
    void close();
}
