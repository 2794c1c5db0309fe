package dev.llamajvm;

/**
 * Something other than text that a chat message carries: an {@link Image} or an {@link Audio}
 * clip. A model reads media through a {@link Projector} (llama.cpp's libmtmd); which kinds it takes
 * depends on the projector ({@link Projector#supportsVision()}, {@link Projector#supportsAudio()}).
 */
public sealed interface Media permits Image, Audio {
}
