package dev.llamajvm.internal.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A prompt libmtmd tokenized into chunks (mtmd_input_chunks), read into ids and media spans the
 * same way for both engines; owns the chunks until closed.
 *
 * @param <P> the engine's projector, which evaluates the media chunks
 * @param <C> the engine's handle of one chunk
 */
public final class ChunkedPrompt<P, C> implements NativePrompt {

    /** The chunks as libmtmd hands them out (mtmd_input_chunks_* and mtmd_input_chunk_*). */
    public interface Chunks<C> {
        long size();
        C get(long index);
        boolean isText(C chunk);
        int[] textTokens(C chunk);
        int positions(C chunk);
        int embeddings(C chunk);
        String id(C chunk);
        /** mtmd_input_chunks_free. */
        void free();
    }

    private final P projector;
    private final Chunks<C> chunks;
    private final int[] tokens;
    private final List<MediaSpan> media;
    /** The chunk of each media span, by {@link MediaSpan#index()}. */
    private final List<C> mediaChunks;
    private boolean closed;

    private ChunkedPrompt(P projector, Chunks<C> chunks, int[] tokens, List<MediaSpan> media, List<C> mediaChunks) {
        this.projector = projector;
        this.chunks = chunks;
        this.tokens = tokens;
        this.media = List.copyOf(media);
        this.mediaChunks = List.copyOf(mediaChunks);
    }

    /** Reads {@code chunks}, which the prompt then owns (freed by {@link #close()}). */
    public static <P, C> ChunkedPrompt<P, C> read(P projector, Chunks<C> chunks) {
        int[] tokens = new int[64];
        int size = 0;
        List<MediaSpan> media = new ArrayList<>();
        List<C> mediaChunks = new ArrayList<>();
        for (long i = 0, n = chunks.size(); i < n; i++) {
            C chunk = chunks.get(i);
            int[] ids;
            if (chunks.isText(chunk)) {
                ids = chunks.textTokens(chunk);
            } else {
                String id = chunks.id(chunk);
                int positions = chunks.positions(chunk);
                int embeddings = chunks.embeddings(chunk);
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
        return new ChunkedPrompt<>(projector, chunks, Arrays.copyOf(tokens, size), media, mediaChunks);
    }

    public P projector() {
        return projector;
    }

    public C chunk(MediaSpan span) {
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
            chunks.free();
        }
    }
}
