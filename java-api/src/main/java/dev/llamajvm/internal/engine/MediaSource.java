package dev.llamajvm.internal.engine;

/** Media as the public API hands it to the engine; arrays are not copied and must not be changed. */
public sealed interface MediaSource {

    /** A file's bytes: an image for stb_image or audio for miniaudio (told apart by magic bytes). */
    record Encoded(byte[] bytes) implements MediaSource {
    }

    /** 8-bit RGB pixels, row by row. */
    record Rgb(int width, int height, byte[] pixels) implements MediaSource {
    }

    /** Mono float PCM at the projector's sample rate. */
    record Pcm(float[] samples) implements MediaSource {
    }
}
