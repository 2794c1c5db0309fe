package dev.llamajvm.testing;

import dev.llamajvm.bindings.ggml_h;
import dev.llamajvm.bindings.ggml_init_params;
import dev.llamajvm.bindings.ggml_tensor;
import dev.llamajvm.bindings.gguf_h;
import dev.llamajvm.bindings.gguf_init_params;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A well-formed GGUF model far larger than any machine's memory that takes no room on disk: the
 * header of a real model with a wider feed-forward (the FFN tensors and {@code feed_forward_length}
 * changed to match), followed by a hole (a sparse file) where the tensor data would be, which
 * reads as zeros. llama.cpp accepts it until it has to allocate the weights.
 */
public final class HollowModel {

    private HollowModel() {}

    /**
     * Writes {@code source}'s model with every FFN matrix widened to {@code feedForward} into
     * {@code target}; returns the bytes of tensor data the file claims.
     */
    public static long widenFeedForward(Path source, long feedForward, Path target) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment tensorsOut = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment init = gguf_init_params.allocate(arena);
            gguf_init_params.no_alloc(init, true);
            gguf_init_params.ctx(init, tensorsOut);
            MemorySegment in = gguf_h.gguf_init_from_file(arena.allocateFrom(source.toString()), init);
            if (in.equals(MemorySegment.NULL)) {
                throw new IOException("cannot read " + source);
            }
            MemorySegment tensors = tensorsOut.get(ValueLayout.ADDRESS, 0);
            long count = gguf_h.gguf_get_n_tensors(in);
            MemorySegment newParams = ggml_init_params.allocate(arena);
            ggml_init_params.mem_size(newParams, (count + 1) * ggml_h.ggml_tensor_overhead());
            ggml_init_params.no_alloc(newParams, true);
            MemorySegment widened = ggml_h.ggml_init(newParams);
            MemorySegment out = gguf_h.gguf_init_empty();
            try {
                String arch = cString(gguf_h.gguf_get_val_str(in, gguf_h.gguf_find_key(in, arena.allocateFrom("general.architecture"))));
                MemorySegment ffKey = arena.allocateFrom(arch + ".feed_forward_length");
                long oldWidth = Integer.toUnsignedLong(gguf_h.gguf_get_val_u32(in, gguf_h.gguf_find_key(in, ffKey)));
                gguf_h.gguf_set_kv(out, in);
                gguf_h.gguf_set_val_u32(out, ffKey, (int) feedForward);
                for (long i = 0; i < count; i++) {
                    MemorySegment name = gguf_h.gguf_get_tensor_name(in, i);
                    MemorySegment tensor = ggml_h.ggml_get_tensor(tensors, name);
                    if (cString(name).contains(".ffn_")) {
                        tensor = widened(tensor, oldWidth, feedForward, widened, arena);
                    }
                    gguf_h.gguf_add_tensor(out, tensor);
                }
                if (!gguf_h.gguf_write_to_file(out, arena.allocateFrom(target.toString()), true)) {
                    throw new IOException("gguf_write_to_file failed for " + target);
                }
                long last = count - 1;
                long data = gguf_h.gguf_get_tensor_offset(out, last) + gguf_h.gguf_get_tensor_size(out, last);
                try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                    file.setLength(gguf_h.gguf_get_meta_size(out) + data); // the hole
                }
                return data;
            } finally {
                gguf_h.gguf_free(out);
                gguf_h.gguf_free(in);
                ggml_h.ggml_free(tensors);
                ggml_h.ggml_free(widened);
            }
        }
    }

    /** A tensor like {@code tensor} with every dimension of {@code from} elements made {@code to}. */
    private static MemorySegment widened(MemorySegment tensor, long from, long to, MemorySegment context, Arena arena) {
        MemorySegment t = tensor.reinterpret(ggml_tensor.sizeof());
        int dims = ggml_h.ggml_n_dims(t);
        MemorySegment ne = arena.allocate(ValueLayout.JAVA_LONG, dims);
        for (int d = 0; d < dims; d++) {
            long n = ggml_tensor.ne(t).getAtIndex(ValueLayout.JAVA_LONG, d);
            ne.setAtIndex(ValueLayout.JAVA_LONG, d, n == from ? to : n);
        }
        MemorySegment copy = ggml_h.ggml_new_tensor(context, ggml_tensor.type(t), dims, ne);
        ggml_h.ggml_set_name(copy, ggml_h.ggml_get_name(t));
        return copy;
    }

    private static String cString(MemorySegment s) {
        return s.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
