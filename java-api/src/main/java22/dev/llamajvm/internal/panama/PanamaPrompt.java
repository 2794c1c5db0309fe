package dev.llamajvm.internal.panama;

import dev.llamajvm.bindings.mtmd_h;
import dev.llamajvm.internal.engine.MediaSpan;
import dev.llamajvm.internal.engine.NativePrompt;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** mtmd_input_chunks read into ids and media spans; owns the chunks until closed. */
final class PanamaPrompt implements NativePrompt {

    private final PanamaProjector projector;
    private final MemorySegment chunks;
    private final int[] tokens;
    private final List<MediaSpan> media;
    /** The chunk of each media span, by {@link MediaSpan#index()}. */
    private final List<MemorySegment> mediaChunks;
    private boolean closed;

    private PanamaPrompt(PanamaProjector projector, MemorySegment chunks, int[] tokens, List<MediaSpan> media,
                         List<MemorySegment> mediaChunks) {
        this.projector = projector;
        this.chunks = chunks;
        this.tokens = tokens;
        this.media = List.copyOf(media);
        this.mediaChunks = List.copyOf(mediaChunks);
    }

    static PanamaPrompt read(PanamaProjector projector, MemorySegment chunks) {
        int[] tokens = new int[64];
        int size = 0;
        List<MediaSpan> media = new ArrayList<>();
        List<MemorySegment> mediaChunks = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_LONG);
            long n = mtmd_h.mtmd_input_chunks_size(chunks);
            for (long i = 0; i < n; i++) {
                MemorySegment chunk = mtmd_h.mtmd_input_chunks_get(chunks, i);
                int[] ids;
                if (mtmd_h.mtmd_input_chunk_get_type(chunk) == mtmd_h.MTMD_INPUT_CHUNK_TYPE_TEXT()) {
                    MemorySegment text = mtmd_h.mtmd_input_chunk_get_tokens_text(chunk, count);
                    long length = count.get(ValueLayout.JAVA_LONG, 0);
                    ids = text.reinterpret(4 * length).toArray(ValueLayout.JAVA_INT);
                } else {
                    int positions = mtmd_h.mtmd_input_chunk_get_n_pos(chunk);
                    int embeddings = Math.toIntExact(mtmd_h.mtmd_input_chunk_get_n_tokens(chunk));
                    String id = CStrings.read(mtmd_h.mtmd_input_chunk_get_id(chunk));
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
        return new PanamaPrompt(projector, chunks, Arrays.copyOf(tokens, size), media, mediaChunks);
    }

    PanamaProjector projector() {
        return projector;
    }

    MemorySegment chunk(MediaSpan span) {
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
            mtmd_h.mtmd_input_chunks_free(chunks);
        }
    }
}
