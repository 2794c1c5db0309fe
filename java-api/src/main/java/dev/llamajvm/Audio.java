package dev.llamajvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An audio clip for a chat message, for projectors that take audio
 * ({@link Projector#supportsAudio()}). Encoded audio (WAV, MP3, FLAC) is decoded and resampled by
 * libmtmd; PCM samples given directly must be mono floats in [-1, 1] at the projector's
 * {@link Projector#audioSampleRate() sample rate}. Immutable; equality is identity.
 */
public final class Audio implements Media {

    private final byte[] encoded;
    private final float[] pcm;
    private final String source;

    private Audio(byte[] encoded, float[] pcm, String source) {
        this.encoded = encoded;
        this.pcm = pcm;
        this.source = source;
    }

    /** Reads an audio file (WAV, MP3, FLAC) now. @throws UncheckedIOException if it cannot be read */
    public static Audio of(Path file) {
        try {
            return new Audio(Files.readAllBytes(file), null, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audio file " + file.toAbsolutePath(), e);
        }
    }

    /** Encoded audio: the bytes of a WAV, MP3 or FLAC file. */
    public static Audio of(byte[] encoded) {
        return new Audio(encoded.clone(), null, encoded.length + " bytes");
    }

    /** Mono PCM samples at the projector's sample rate. */
    public static Audio ofPcm(float[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("an audio clip needs at least one sample");
        }
        return new Audio(null, samples.clone(), samples.length + " samples");
    }

    /** Whether this clip is encoded (decoded by the projector) rather than given as samples. */
    public boolean isEncoded() {
        return encoded != null;
    }

    long byteSize() {
        return encoded != null ? encoded.length : 4L * pcm.length;
    }

    byte[] encoded() {
        return encoded;
    }

    float[] pcm() {
        return pcm;
    }

    @Override
    public String toString() {
        return "Audio[" + source + "]";
    }
}
