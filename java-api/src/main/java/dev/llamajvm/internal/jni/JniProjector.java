package dev.llamajvm.internal.jni;

import dev.llamajvm.InferenceException;
import dev.llamajvm.InvalidMediaException;
import dev.llamajvm.ModelLoadException;
import dev.llamajvm.ProjectorOptions;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.Sha256;
import dev.llamajvm.internal.engine.ChunkedPrompt;
import dev.llamajvm.internal.engine.ContextBase;
import dev.llamajvm.internal.engine.MediaSource;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.internal.engine.NativeMedia;
import dev.llamajvm.internal.engine.NativePrompt;
import dev.llamajvm.internal.engine.NativeProjector;
import dev.llamajvm.internal.engine.ProjectorFileCheck;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** An mtmd_context through the JNI bindings. See {@link NativeProjector} for threading. */
final class JniProjector implements NativeProjector {

    /** mtmd_tokenize's result codes. */
    private static final int TOKENIZE_MARKER_MISMATCH = 1, TOKENIZE_PREPROCESS_FAILED = 2;

    private final Llama.mtmd_context context;
    private final ReentrantLock lock = new ReentrantLock();
    private final boolean vision;
    private final boolean audio;
    private final int sampleRate;
    private final String marker;

    private JniProjector(Llama.mtmd_context context) {
        this.context = context;
        this.vision = Llama.mtmd_support_vision(context);
        this.audio = Llama.mtmd_support_audio(context);
        this.sampleRate = audio ? Llama.mtmd_get_audio_sample_rate(context) : -1;
        this.marker = JniStrings.read(Llama.mtmd_get_marker(context));
    }

    static JniProjector load(JniModel model, Path path, ProjectorOptions options) {
        requireProjectorFile(path);
        NativeLog.Captured<Llama.mtmd_context> loaded;
        try (Llama.mtmd_context_params params = Llama.mtmd_context_params_default();
             BytePointer file = JniStrings.utf8(path.toString())) {
            params.use_gpu(options.useGpu());
            params.n_threads(options.threads());
            params.print_timings(false);
            params.warmup(options.warmup());
            params.image_min_tokens(options.imageMinTokens());
            params.image_max_tokens(options.imageMaxTokens());
            loaded = NativeLog.capture(() -> Llama.mtmd_init_from_file(file, model.model(), params));
        }
        if (loaded.value() == null || loaded.value().isNull()) {
            throw new ModelLoadException("libmtmd could not load the projector " + path, loaded.reason());
        }
        try {
            return new JniProjector(loaded.value());
        } catch (RuntimeException | Error e) {
            Llama.mtmd_free(loaded.value());
            throw e;
        }
    }

    /** The checks of {@link ProjectorFileCheck}, on the file's header. */
    private static void requireProjectorFile(Path path) {
        NativeLog.Captured<Llama.gguf_context> opened = JniGgufMetadata.open(path);
        if (opened.value() == null || opened.value().isNull()) {
            throw new ModelLoadException("not a readable GGUF file: " + path, opened.reason());
        }
        try (JniGgufMetadata gguf = JniGgufMetadata.of(opened.value())) {
            ProjectorFileCheck.requireProjector(path, gguf.architecture());
            ProjectorFileCheck.requireTensorDataInFile(path, gguf);
        }
    }

    @Override
    public boolean supportsVision() {
        return vision;
    }

    @Override
    public boolean supportsAudio() {
        return audio;
    }

    @Override
    public int audioSampleRate() {
        return sampleRate;
    }

    @Override
    public String marker() {
        return marker;
    }

    @Override
    public NativeMedia media(MediaSource source) {
        return serialised(() -> {
            if (source instanceof MediaSource.Encoded encoded) {
                return decode(encoded.bytes());
            } else if (source instanceof MediaSource.Rgb rgb) {
                return pixels(rgb);
            }
            return samples((MediaSource.Pcm) source);
        });
    }

    private NativeMedia decode(byte[] bytes) {
        GuardSlot error = new GuardSlot();
        try (BytePointer buffer = new BytePointer(bytes);
             Llama.mtmd_helper_init_opt options = Llama.mtmd_helper_init_opt_default()) {
            // Guarded: the decoders allocate what an untrusted header says, without a try of their own.
            NativeLog.Captured<Llama.mtmd_helper_bitmap_wrapper> made = NativeLog.capture(() ->
                    Llama.llama_jvm_mtmd_helper_bitmap_init_from_buf(context, buffer, bytes.length, false, options,
                            error.slot()));
            String thrown = error.take();
            if (thrown != null) {
                throw new InvalidMediaException("libmtmd could not decode the media (" + bytes.length + " bytes): "
                        + thrown, made.reason());
            }
            try (Llama.mtmd_helper_bitmap_wrapper wrapper = made.value()) {
                Llama.mtmd_bitmap bitmap = wrapper.bitmap();
                Llama.mtmd_helper_video video = wrapper.video_ctx();
                boolean hasBitmap = bitmap != null && !bitmap.isNull();
                if (video != null && !video.isNull()) {
                    // Only natives built with MTMD_VIDEO on (ours are not: no ffmpeg child processes) get here.
                    Llama.mtmd_helper_video_free(video);
                    if (hasBitmap) {
                        Llama.mtmd_bitmap_free(bitmap);
                    }
                    throw new InvalidMediaException("video input is not supported; give images or audio");
                }
                if (!hasBitmap) {
                    throw new InvalidMediaException("libmtmd could not decode the media (" + bytes.length
                            + " bytes): not an image stb_image reads (JPEG, PNG, BMP, GIF, ...)"
                            + (audio ? " nor audio (WAV, MP3, FLAC)" : "") + ", or corrupt", made.reason());
                }
                return new JniMedia(bitmap);
            }
        }
    }

    /** Bitmaps made from raw data get an id like the decoder gives: a SHA-256 of their content. */
    private static NativeMedia pixels(MediaSource.Rgb rgb) {
        try (BytePointer data = new BytePointer(rgb.pixels())) {
            String id = Sha256.ofAll(intBytes(rgb.width(), rgb.height()), rgb.pixels());
            return identified(Llama.mtmd_bitmap_init(rgb.width(), rgb.height(), data), id);
        }
    }

    private static NativeMedia samples(MediaSource.Pcm pcm) {
        float[] samples = pcm.samples();
        try (FloatPointer data = new FloatPointer(samples)) {
            // The id hashes the samples' bytes in native (little-endian) order, as the Panama engine does.
            ByteBuffer bytes = ByteBuffer.allocate(samples.length * Float.BYTES).order(ByteOrder.nativeOrder());
            bytes.asFloatBuffer().put(samples);
            return identified(Llama.mtmd_bitmap_init_from_audio(samples.length, data), Sha256.ofAll(bytes.array()));
        }
    }

    private static NativeMedia identified(Llama.mtmd_bitmap bitmap, String id) {
        if (bitmap == null || bitmap.isNull()) {
            throw new InvalidMediaException("libmtmd could not make a bitmap");
        }
        try (BytePointer text = JniStrings.utf8(id)) {
            Llama.mtmd_bitmap_set_id(bitmap, text);
        }
        return new JniMedia(bitmap);
    }

    private static byte[] intBytes(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    @Override
    public NativePrompt tokenize(String text, List<NativeMedia> media) {
        return serialised(() -> {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            try (Llama.mtmd_input_text input = new Llama.mtmd_input_text();
                 BytePointer textBytes = JniStrings.cString(utf8);
                 PointerPointer<Llama.mtmd_bitmap> bitmaps = new PointerPointer<>(Math.max(1, media.size()))) {
                input.text(textBytes);
                input.text_len(utf8.length);
                input.add_special(true);
                input.parse_special(true);
                for (int i = 0; i < media.size(); i++) {
                    bitmaps.put(i, ((JniMedia) media.get(i)).bitmap());
                }
                Llama.mtmd_input_chunks chunks = Llama.mtmd_input_chunks_init();
                NativeLog.Captured<Integer> result = NativeLog.capture(() ->
                        Llama.mtmd_tokenize(context, chunks, input, bitmaps, media.size()));
                if (result.value() != 0) {
                    Llama.mtmd_input_chunks_free(chunks);
                    int code = result.value();
                    throw new InvalidMediaException(code == TOKENIZE_MARKER_MISMATCH
                            ? "the prompt's media markers (" + marker + ") do not match the " + media.size() + " media given"
                            : code == TOKENIZE_PREPROCESS_FAILED ? "libmtmd could not preprocess the media"
                            : "libmtmd could not tokenize the prompt (code " + code + ")", result.reason());
                }
                try {
                    return ChunkedPrompt.read(this, new JniChunks(chunks));
                } catch (RuntimeException | Error e) {
                    Llama.mtmd_input_chunks_free(chunks);
                    throw e;
                }
            }
        });
    }

    /**
     * Encodes a media chunk and evaluates its embeddings in {@code llamaContext} from position
     * {@code position}; returns llama_decode's code (0 on success) and the next position in
     * {@code nextPosition}. An encoder failure throws: nothing reached the context then.
     */
    int evaluate(Llama.mtmd_input_chunk chunk, Llama.llama_context llamaContext, int position, int batchSize,
                 IntPointer nextPosition, List<String> log) {
        return serialised(() -> {
            NativeLog.Captured<Integer> encoded = NativeLog.capture(() -> Llama.mtmd_encode_chunk(context, chunk));
            if (encoded.value() != 0) {
                throw new InferenceException("libmtmd could not encode the media (code " + encoded.value() + ")",
                        encoded.reason());
            }
            nextPosition.put(0, position);
            GuardSlot error = new GuardSlot();
            NativeLog.Captured<Integer> decoded = NativeLog.capture(() -> Llama.llama_jvm_mtmd_helper_decode_image_chunk(
                    context, llamaContext, chunk, Llama.mtmd_get_output_embd(context), position, 0, batchSize,
                    nextPosition, null, null, error.slot()));
            log.addAll(decoded.reason());
            String thrown = error.take();
            if (thrown != null) {
                log.add("error: " + thrown); // the caller drops what was decoded and reports the log
                return ContextBase.DECODE_THREW;
            }
            return decoded.value();
        });
    }

    private <T> T serialised(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        serialised(() -> {
            Llama.mtmd_free(context);
            return null;
        });
    }
}
