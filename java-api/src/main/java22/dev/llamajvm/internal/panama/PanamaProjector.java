package dev.llamajvm.internal.panama;

import dev.llamajvm.InferenceException;
import dev.llamajvm.InvalidMediaException;
import dev.llamajvm.ModelLoadException;
import dev.llamajvm.ProjectorOptions;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.bindings.gguf_h;
import dev.llamajvm.bindings.gguf_init_params;
import dev.llamajvm.bindings.llama_jvm_guard_h;
import dev.llamajvm.bindings.mtmd_context_params;
import dev.llamajvm.bindings.mtmd_h;
import dev.llamajvm.bindings.mtmd_helper_bitmap_wrapper;
import dev.llamajvm.bindings.mtmd_helper_h;
import dev.llamajvm.bindings.mtmd_input_text;
import dev.llamajvm.internal.engine.ChunkedPrompt;
import dev.llamajvm.internal.engine.ContextBase;
import dev.llamajvm.internal.engine.MediaSource;
import dev.llamajvm.internal.engine.MediaSpan;
import dev.llamajvm.internal.engine.NativeMedia;
import dev.llamajvm.internal.engine.NativePrompt;
import dev.llamajvm.internal.engine.NativeProjector;
import dev.llamajvm.internal.engine.ProjectorFileCheck;
import dev.llamajvm.internal.Sha256;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** An mtmd_context through the Panama bindings. See {@link NativeProjector} for threading. */
final class PanamaProjector implements NativeProjector {

    /** mtmd_tokenize's result codes. */
    private static final int TOKENIZE_MARKER_MISMATCH = 1, TOKENIZE_PREPROCESS_FAILED = 2;

    private final MemorySegment context;
    private final ReentrantLock lock = new ReentrantLock();
    private final boolean vision;
    private final boolean audio;
    private final int sampleRate;
    private final String marker;

    private PanamaProjector(MemorySegment context) {
        this.context = context;
        this.vision = mtmd_h.mtmd_support_vision(context);
        this.audio = mtmd_h.mtmd_support_audio(context);
        this.sampleRate = audio ? mtmd_h.mtmd_get_audio_sample_rate(context) : -1;
        this.marker = CStrings.read(mtmd_h.mtmd_get_marker(context));
    }

    static PanamaProjector load(PanamaModel model, Path path, ProjectorOptions options) {
        requireProjectorFile(path);
        NativeLog.Captured<MemorySegment> loaded;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = mtmd_h.mtmd_context_params_default(arena);
            mtmd_context_params.use_gpu(params, options.useGpu());
            mtmd_context_params.n_threads(params, options.threads());
            mtmd_context_params.print_timings(params, false);
            mtmd_context_params.warmup(params, options.warmup());
            mtmd_context_params.image_min_tokens(params, options.imageMinTokens());
            mtmd_context_params.image_max_tokens(params, options.imageMaxTokens());
            MemorySegment file = arena.allocateFrom(path.toString());
            loaded = NativeLog.capture(() -> mtmd_h.mtmd_init_from_file(file, model.model(), params));
        }
        if (loaded.value().equals(MemorySegment.NULL)) {
            throw new ModelLoadException("libmtmd could not load the projector " + path, loaded.reason());
        }
        try {
            return new PanamaProjector(loaded.value());
        } catch (RuntimeException | Error e) {
            mtmd_h.mtmd_free(loaded.value());
            throw e;
        }
    }

    /**
     * A language model or some other GGUF passed as the projector would fail deep inside libmtmd's
     * loader; the file's architecture says it up front.
     */
    private static void requireProjectorFile(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = gguf_init_params.allocate(arena);
            gguf_init_params.no_alloc(params, true);
            gguf_init_params.ctx(params, MemorySegment.NULL);
            MemorySegment file = arena.allocateFrom(path.toString());
            NativeLog.Captured<MemorySegment> gguf = NativeLog.capture(() -> gguf_h.gguf_init_from_file(file, params));
            if (gguf.value().equals(MemorySegment.NULL)) {
                throw new ModelLoadException("not a readable GGUF file: " + path, gguf.reason());
            }
            try {
                long key = gguf_h.gguf_find_key(gguf.value(), arena.allocateFrom("general.architecture"));
                // gguf_get_val_str aborts the process on a key of another type: ask the type first.
                boolean named = key >= 0 && gguf_h.gguf_get_kv_type(gguf.value(), key) == gguf_h.GGUF_TYPE_STRING();
                ProjectorFileCheck.requireProjector(path,
                        named ? CStrings.read(gguf_h.gguf_get_val_str(gguf.value(), key)) : "");
                ProjectorFileCheck.requireTensorDataInFile(path, tensorTable(gguf.value()));
            } finally {
                gguf_h.gguf_free(gguf.value());
            }
        }
    }

    private static ProjectorFileCheck.TensorTable tensorTable(MemorySegment gguf) {
        return new ProjectorFileCheck.TensorTable() {
            @Override public long dataOffset() { return gguf_h.gguf_get_data_offset(gguf); }
            @Override public long count() { return gguf_h.gguf_get_n_tensors(gguf); }
            @Override public long offset(long i) { return gguf_h.gguf_get_tensor_offset(gguf, i); }
            @Override public long size(long i) { return gguf_h.gguf_get_tensor_size(gguf, i); }
            @Override public String name(long i) { return CStrings.read(gguf_h.gguf_get_tensor_name(gguf, i)); }
        };
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
        return serialised(() -> switch (source) {
            case MediaSource.Encoded encoded -> decode(encoded.bytes());
            case MediaSource.Rgb rgb -> pixels(rgb);
            case MediaSource.Pcm pcm -> samples(pcm);
        });
    }

    private NativeMedia decode(byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment options = mtmd_helper_h.mtmd_helper_init_opt_default(arena);
            GuardError error = new GuardError(arena);
            // Guarded: the decoders allocate what an untrusted header says, without a try of their own.
            NativeLog.Captured<MemorySegment> made = NativeLog.capture(() -> llama_jvm_guard_h
                    .llama_jvm_mtmd_helper_bitmap_init_from_buf(arena, context, buffer, bytes.length, false, options,
                            error.slot()));
            String thrown = error.take();
            if (thrown != null) {
                throw new InvalidMediaException("libmtmd could not decode the media (" + bytes.length + " bytes): "
                        + thrown, made.reason());
            }
            MemorySegment bitmap = mtmd_helper_bitmap_wrapper.bitmap(made.value());
            MemorySegment video = mtmd_helper_bitmap_wrapper.video_ctx(made.value());
            if (!video.equals(MemorySegment.NULL)) {
                // Only natives built with MTMD_VIDEO on (ours are not: no ffmpeg child processes) get here.
                mtmd_helper_h.mtmd_helper_video_free(video);
                if (!bitmap.equals(MemorySegment.NULL)) {
                    mtmd_h.mtmd_bitmap_free(bitmap);
                }
                throw new InvalidMediaException("video input is not supported; give images or audio");
            }
            if (bitmap.equals(MemorySegment.NULL)) {
                throw new InvalidMediaException("libmtmd could not decode the media (" + bytes.length
                        + " bytes): not an image stb_image reads (JPEG, PNG, BMP, GIF, ...)"
                        + (audio ? " nor audio (WAV, MP3, FLAC)" : "") + ", or corrupt", made.reason());
            }
            return new PanamaMedia(bitmap);
        }
    }

    /** Bitmaps made from raw data get an id like the decoder gives: a SHA-256 of their content. */
    private static NativeMedia pixels(MediaSource.Rgb rgb) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(rgb.pixels().length);
            MemorySegment.copy(rgb.pixels(), 0, data, ValueLayout.JAVA_BYTE, 0, rgb.pixels().length);
            String id = Sha256.ofAll(intBytes(rgb.width(), rgb.height()), rgb.pixels());
            return identified(mtmd_h.mtmd_bitmap_init(rgb.width(), rgb.height(), data), id, arena);
        }
    }

    private static NativeMedia samples(MediaSource.Pcm pcm) {
        try (Arena arena = Arena.ofConfined()) {
            float[] samples = pcm.samples();
            MemorySegment data = arena.allocate(ValueLayout.JAVA_FLOAT, samples.length);
            MemorySegment.copy(samples, 0, data, ValueLayout.JAVA_FLOAT, 0, samples.length);
            byte[] bytes = data.toArray(ValueLayout.JAVA_BYTE);
            return identified(mtmd_h.mtmd_bitmap_init_from_audio(samples.length, data), Sha256.ofAll(bytes), arena);
        }
    }

    private static NativeMedia identified(MemorySegment bitmap, String id, Arena arena) {
        if (bitmap.equals(MemorySegment.NULL)) {
            throw new InvalidMediaException("libmtmd could not make a bitmap");
        }
        mtmd_h.mtmd_bitmap_set_id(bitmap, arena.allocateFrom(id));
        return new PanamaMedia(bitmap);
    }

    private static byte[] intBytes(int... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    @Override
    public NativePrompt tokenize(String text, List<NativeMedia> media) {
        return serialised(() -> {
            try (Arena arena = Arena.ofConfined()) {
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                MemorySegment input = mtmd_input_text.allocate(arena);
                mtmd_input_text.text(input, arena.allocateFrom(text));
                mtmd_input_text.text_len(input, utf8.length);
                mtmd_input_text.add_special(input, true);
                mtmd_input_text.parse_special(input, true);
                MemorySegment bitmaps = arena.allocate(ValueLayout.ADDRESS, Math.max(1, media.size()));
                for (int i = 0; i < media.size(); i++) {
                    bitmaps.setAtIndex(ValueLayout.ADDRESS, i, ((PanamaMedia) media.get(i)).bitmap());
                }
                MemorySegment chunks = mtmd_h.mtmd_input_chunks_init();
                NativeLog.Captured<Integer> result = NativeLog.capture(() ->
                        mtmd_h.mtmd_tokenize(context, chunks, input, bitmaps, media.size()));
                if (result.value() != 0) {
                    mtmd_h.mtmd_input_chunks_free(chunks);
                    throw new InvalidMediaException(switch (result.value()) {
                        case TOKENIZE_MARKER_MISMATCH -> "the prompt's media markers (" + marker
                                + ") do not match the " + media.size() + " media given";
                        case TOKENIZE_PREPROCESS_FAILED -> "libmtmd could not preprocess the media";
                        default -> "libmtmd could not tokenize the prompt (code " + result.value() + ")";
                    }, result.reason());
                }
                try {
                    return ChunkedPrompt.read(this, new PanamaChunks(chunks));
                } catch (RuntimeException | Error e) {
                    mtmd_h.mtmd_input_chunks_free(chunks);
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
    int evaluate(MemorySegment chunk, MemorySegment llamaContext, int position, int batchSize,
                 MemorySegment nextPosition, List<String> log) {
        return serialised(() -> {
            NativeLog.Captured<Integer> encoded = NativeLog.capture(() -> mtmd_h.mtmd_encode_chunk(context, chunk));
            if (encoded.value() != 0) {
                throw new InferenceException("libmtmd could not encode the media (code " + encoded.value() + ")",
                        encoded.reason());
            }
            nextPosition.set(ValueLayout.JAVA_INT, 0, position);
            try (Arena arena = Arena.ofConfined()) {
                GuardError error = new GuardError(arena);
                NativeLog.Captured<Integer> decoded = NativeLog.capture(() -> llama_jvm_guard_h
                        .llama_jvm_mtmd_helper_decode_image_chunk(context, llamaContext, chunk,
                                mtmd_h.mtmd_get_output_embd(context), position, 0, batchSize, nextPosition,
                                MemorySegment.NULL, MemorySegment.NULL, error.slot()));
                log.addAll(decoded.reason());
                String thrown = error.take();
                if (thrown != null) {
                    log.add("error: " + thrown); // the caller drops what was decoded and reports the log
                    return ContextBase.DECODE_THREW;
                }
                return decoded.value();
            }
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
            mtmd_h.mtmd_free(context);
            return null;
        });
    }
}
