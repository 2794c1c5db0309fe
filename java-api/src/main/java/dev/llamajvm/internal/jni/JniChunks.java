package dev.llamajvm.internal.jni;

import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.ChunkedPrompt;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.SizeTPointer;

/** An mtmd_input_chunks, for {@link ChunkedPrompt}. */
record JniChunks(Llama.mtmd_input_chunks chunks) implements ChunkedPrompt.Chunks<Llama.mtmd_input_chunk> {

    @Override
    public long size() {
        return Llama.mtmd_input_chunks_size(chunks);
    }

    @Override
    public Llama.mtmd_input_chunk get(long index) {
        return Llama.mtmd_input_chunks_get(chunks, index);
    }

    @Override
    public boolean isText(Llama.mtmd_input_chunk chunk) {
        return Llama.mtmd_input_chunk_get_type(chunk) == Llama.MTMD_INPUT_CHUNK_TYPE_TEXT;
    }

    @Override
    public int[] textTokens(Llama.mtmd_input_chunk chunk) {
        try (SizeTPointer count = new SizeTPointer(1L)) {
            IntPointer text = Llama.mtmd_input_chunk_get_tokens_text(chunk, count);
            int[] ids = new int[Math.toIntExact(count.get(0))];
            text.get(ids);
            return ids;
        }
    }

    @Override
    public int positions(Llama.mtmd_input_chunk chunk) {
        return Llama.mtmd_input_chunk_get_n_pos(chunk);
    }

    @Override
    public int embeddings(Llama.mtmd_input_chunk chunk) {
        return Math.toIntExact(Llama.mtmd_input_chunk_get_n_tokens(chunk));
    }

    @Override
    public String id(Llama.mtmd_input_chunk chunk) {
        return JniStrings.read(Llama.mtmd_input_chunk_get_id(chunk));
    }

    @Override
    public void free() {
        Llama.mtmd_input_chunks_free(chunks);
    }
}
