package dev.llamajvm;

import dev.llamajvm.internal.ImageHeader;
import dev.llamajvm.internal.Lifetime;
import dev.llamajvm.internal.engine.MediaSource;
import dev.llamajvm.internal.engine.NativeMedia;
import dev.llamajvm.internal.engine.NativePrompt;
import dev.llamajvm.internal.engine.NativeProjector;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * A multimodal projector (an mmproj GGUF file, read by llama.cpp's libmtmd) bound to the model it
 * was made for: it turns images, and audio where it can, into embeddings the model reads. Give it
 * to a chat with {@link ChatOptions#projector(Projector)}.
 *
 * <pre>{@code
 * try (LlamaModel model = LlamaModel.load(Path.of("gemma-3-4b-it-Q4_K_M.gguf"));
 *      Projector vision = model.loadProjector(Path.of("mmproj-gemma-3-4b-it-f16.gguf"));
 *      ChatSession chat = model.newChat(ChatOptions.defaults().projector(vision))) {
 *     chat.send(Message.user("What is in this picture?", Image.of(Path.of("photo.jpg"))));
 * }
 * }</pre>
 *
 * <p>Owned by its model: closing the model closes it. Thread-safe: chats on many threads may share
 * one projector; encoding is serialised inside.
 */
public final class Projector implements AutoCloseable {

    private final LlamaModel model;
    private final Path path;
    private final NativeProjector nativeProjector;
    private final ProjectorOptions options;
    private final Lifetime lifetime;

    Projector(LlamaModel model, Path path, NativeProjector nativeProjector, ProjectorOptions options) {
        this.model = model;
        this.path = path;
        this.nativeProjector = nativeProjector;
        this.options = options;
        this.lifetime = new Lifetime(() -> "the projector " + path.getFileName());
    }

    /** The model this projector feeds. */
    public LlamaModel model() {
        return model;
    }

    /** The projector file. */
    public Path path() {
        return path;
    }

    public ProjectorOptions options() {
        return options;
    }

    /** Whether it takes images. */
    public boolean supportsVision() {
        return use(nativeProjector::supportsVision);
    }

    /** Whether it takes audio. */
    public boolean supportsAudio() {
        return use(nativeProjector::supportsAudio);
    }

    /** The sample rate {@link Audio#ofPcm PCM audio} must have, in Hz; -1 without audio support. */
    public int audioSampleRate() {
        return use(nativeProjector::audioSampleRate);
    }

    /**
     * The text that marks where media go in a message ({@code <__media__>}). Messages without
     * markers get theirs in front of the text; a message may place them itself, one per medium.
     */
    public String marker() {
        return use(nativeProjector::marker);
    }

    /**
     * Decodes an image as this projector will see it (before its own resizing).
     *
     * @throws InvalidMediaException if it is empty, beyond the limits or cannot be decoded
     */
    public DecodedImage decode(Image image) {
        return use(() -> {
            try (NativeMedia media = prepare(image)) {
                return new DecodedImage(media.width(), media.height(), media.data());
            }
        });
    }

    /**
     * How many KV cache cells {@code media} fills in a prompt: its embeddings (all slices of an
     * image the projector slices) and the tokens the projector wraps around them. Where that
     * wrapper is plain text, BPE may merge it with the text beside it in a real prompt, which can
     * then differ by a token or two.
     *
     * @throws InvalidMediaException if it is empty, beyond the limits or cannot be decoded
     */
    public int tokenCount(Media media) {
        return use(() -> {
            try (NativeMedia prepared = prepare(media);
                 NativePrompt with = nativeProjector.tokenize(nativeProjector.marker(), List.of(prepared));
                 NativePrompt without = nativeProjector.tokenize("", List.of())) {
                return with.cells() - without.cells();
            }
        });
    }

    /** Checks {@code media} against what this projector takes and its limits, then decodes it. */
    NativeMedia prepare(Media media) {
        if (media instanceof Image image) {
            return prepareImage(image);
        }
        return prepareAudio((Audio) media); // Media is sealed: an image or audio
    }

    private NativeMedia prepareImage(Image image) {
        if (!nativeProjector.supportsVision()) {
            throw new InvalidMediaException("the projector " + path.getFileName() + " takes no images");
        }
        checkBytes(image, image.byteSize());
        if (image.isEncoded()) {
            ImageHeader.read(image.data()).ifPresent(size -> checkPixels(image, size.width(), size.height()));
            NativeMedia decoded = nativeProjector.media(new MediaSource.Encoded(image.data()));
            try {
                if (decoded.isAudio()) {
                    throw new InvalidMediaException(image + " holds audio, not an image");
                }
                checkPixels(image, decoded.width(), decoded.height());
                return decoded;
            } catch (RuntimeException e) {
                decoded.close();
                throw e;
            }
        }
        checkPixels(image, image.width(), image.height());
        return nativeProjector.media(new MediaSource.Rgb(image.width(), image.height(), image.data()));
    }

    private NativeMedia prepareAudio(Audio audio) {
        if (!nativeProjector.supportsAudio()) {
            throw new InvalidMediaException("the projector " + path.getFileName() + " takes no audio");
        }
        checkBytes(audio, audio.byteSize());
        if (!audio.isEncoded()) {
            return nativeProjector.media(new MediaSource.Pcm(audio.pcm()));
        }
        NativeMedia decoded = nativeProjector.media(new MediaSource.Encoded(audio.encoded()));
        if (!decoded.isAudio()) {
            decoded.close();
            throw new InvalidMediaException(audio + " holds an image, not audio");
        }
        return decoded;
    }

    private void checkBytes(Media media, long bytes) {
        if (bytes == 0) {
            throw new InvalidMediaException(media + " is empty");
        }
        if (bytes > options.maxMediaBytes()) {
            throw new InvalidMediaException(media + " has " + bytes + " bytes, over the limit of "
                    + options.maxMediaBytes() + " (ProjectorOptions.maxMediaBytes)");
        }
    }

    private void checkPixels(Image image, long width, long height) {
        if (width < 1 || height < 1) {
            throw new InvalidMediaException(image + " has no pixels (" + width + "x" + height + ")");
        }
        if (width * height > options.maxImagePixels()) {
            throw new InvalidMediaException(image + " is " + width + "x" + height + " pixels, over the limit of "
                    + options.maxImagePixels() + " (ProjectorOptions.maxImagePixels)");
        }
    }

    NativeProjector nativeProjector() {
        return nativeProjector;
    }

    /** Runs {@code work} on the open projector; close waits for it. */
    <T> T use(Supplier<T> work) {
        return lifetime.use(work);
    }

    /** Frees the projector; waits for encodes in progress. Idempotent. */
    @Override
    public void close() {
        if (lifetime.close(nativeProjector::close)) {
            model.forget(this);
        }
    }

    @Override
    public String toString() {
        return "Projector[" + path.getFileName() + (lifetime.isClosed() ? ", closed" : "") + "]";
    }
}
