package dev.llamajvm.internal.jni;

import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.MediaSpan;
import dev.llamajvm.internal.engine.NativePrompt;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** mtmd_input_chunks read into ids and media spans; owns the chunks until closed. */
final class JniPrompt implements NativePrompt {

    private final JniProjector projector;
    private final Llama.mtmd_input_chunks chunks;
    private final int[] tokens;
    private final List<MediaSpan> media;
    /** The chunk of each media span, by {@link MediaSpan#index()}. */
    private final List<Llama.mtmd_input_chunk> mediaChunks;
    private boolean closed;

    private JniPrompt(JniProjector projector, Llama.mtmd_input_chunks chunks, int[] tokens, List<MediaSpan> media,
                      List<Llama.mtmd_input_chunk> mediaChunks) {
        this.projector = projector;
        this.chunks = chunks;
        this.tokens = tokens;
        this.media = List.copyOf(media);
        this.mediaChunks = List.copyOf(mediaChunks);
    }

    static JniPrompt read(JniProjector projector, Llama.mtmd_input_chunks chunks) {
        int[] tokens = new int[64];
        int size = 0;
        List<MediaSpan> media = new ArrayList<>();
        List<Llama.mtmd_input_chunk> mediaChunks = new ArrayList<>();
        try (SizeTPointer count = new SizeTPointer(1L)) {
            long n = Llama.mtmd_input_chunks_size(chunks);
            for (long i = 0; i < n; i++) {
                Llama.mtmd_input_chunk chunk = Llama.mtmd_input_chunks_get(chunks, i);
                int[] ids;
                if (Llama.mtmd_input_chunk_get_type(chunk) == Llama.MTMD_INPUT_CHUNK_TYPE_TEXT) {
                    IntPointer text = Llama.mtmd_input_chunk_get_tokens_text(chunk, count);
                    ids = new int[Math.toIntExact(count.get(0))];
                    text.get(ids);
                } else {
                    int positions = Llama.mtmd_input_chunk_get_n_pos(chunk);
                    int embeddings = Math.toIntExact(Llama.mtmd_input_chunk_get_n_tokens(chunk));
                    String id = JniStrings.read(Llama.mtmd_input_chunk_get_id(chunk));
                    media.add(new MediaSpan(media.size(), size, positions, embeddings, id));
                    mediaChunks.add(chunk);
                    ids = MediaSpan.placeholders(id, positions, embeddings);
                }
                if (size + ids.length > tokens.length) {
                    tokens = Arrays.copyOf(tokens, Math.max(2 * tokens.length, size + ids.length));
                }
                System.arraycopy(ids, 0, tokens, size, ids.length);
                size += ids.length;
            }
        }
        return new JniPrompt(projector, chunks, Arrays.copyOf(tokens, size), media, mediaChunks);
    }

    JniProjector projector() {
        return projector;
    }

    Llama.mtmd_input_chunk chunk(MediaSpan span) {
        return mediaChunks.get(span.index());
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public List<MediaSpan> media() {
        return media;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Llama.mtmd_input_chunks_free(chunks);
        }
    }
}
