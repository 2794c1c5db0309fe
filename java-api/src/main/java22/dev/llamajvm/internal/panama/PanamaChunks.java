package dev.llamajvm.internal.panama;

import dev.llamajvm.bindings.mtmd_h;
import dev.llamajvm.internal.engine.ChunkedPrompt;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** An mtmd_input_chunks, for {@link ChunkedPrompt}. */
record PanamaChunks(MemorySegment chunks) implements ChunkedPrompt.Chunks<MemorySegment> {

    @Override
    public long size() {
        return mtmd_h.mtmd_input_chunks_size(chunks);
    }

    @Override
    public MemorySegment get(long index) {
        return mtmd_h.mtmd_input_chunks_get(chunks, index);
    }

    @Override
    public boolean isText(MemorySegment chunk) {
        return mtmd_h.mtmd_input_chunk_get_type(chunk) == mtmd_h.MTMD_INPUT_CHUNK_TYPE_TEXT();
    }

    @Override
    public int[] textTokens(MemorySegment chunk) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment text = mtmd_h.mtmd_input_chunk_get_tokens_text(chunk, count);
            return text.reinterpret(4 * count.get(ValueLayout.JAVA_LONG, 0)).toArray(ValueLayout.JAVA_INT);
        }
    }

    @Override
    public int positions(MemorySegment chunk) {
        return mtmd_h.mtmd_input_chunk_get_n_pos(chunk);
    }

    @Override
    public int embeddings(MemorySegment chunk) {
        return Math.toIntExact(mtmd_h.mtmd_input_chunk_get_n_tokens(chunk));
    }

    @Override
    public String id(MemorySegment chunk) {
        return CStrings.read(mtmd_h.mtmd_input_chunk_get_id(chunk));
    }

    @Override
    public void free() {
        mtmd_h.mtmd_input_chunks_free(chunks);
    }
}
