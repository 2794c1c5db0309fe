package dev.llamajvm.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Hand-made broken GGUF files, after the "handcrafted" files of llama.cpp's
 * {@code tests/test-gguf.cpp} (same case names): each breaks one field of the header, the key/value
 * section, the tensor infos or the tensor data, and everything else is well formed. Deterministic,
 * unlike the original's random KV/tensor mix, so a failure names a reproducible file.
 *
 * <p>GGUF v3 layout (ggml/include/gguf.h): magic "GGUF", u32 version, u64 tensor count, u64 KV
 * count, the KVs (u64-length key, i32 type, value), the tensor infos (u64-length name, u32 n_dims,
 * n_dims x i64 shape, i32 ggml type, u64 data offset), padding to the alignment (32), the data.
 */
public enum CorruptGguf {

    /** "FUGG" instead of "GGUF". */
    HEADER_BAD_MAGIC(f -> f.header("FUGG", 3, 0, 0).pad()),
    HEADER_BAD_VERSION_0(f -> f.header("GGUF", 0, 0, 0).pad()),
    HEADER_BAD_VERSION_1(f -> f.header("GGUF", 1, 0, 0).pad()),
    HEADER_BAD_VERSION_FUTURE(f -> f.header("GGUF", 4, 0, 0).pad()),
    /** 2^64-1 tensors (-1 as a signed count). */
    HEADER_BAD_N_TENSORS(f -> f.header("GGUF", 3, -1L, 0).pad()),
    /** 2^64-1 key/value pairs. */
    HEADER_BAD_N_KV(f -> f.header("GGUF", 3, 0, -1L).pad()),
    /** A valid GGUF with nothing in it: gguf accepts it, llama.cpp finds no architecture. */
    HEADER_EMPTY(f -> f.header("GGUF", 3, 0, 0).pad()),

    /** A key whose length is 2^64-1 bytes. */
    KV_BAD_KEY_SIZE(f -> f.header("GGUF", 3, 0, 1).u64(-1L).i32(T.UINT32).u32(1).pad()),
    /** Keys of length 0. */
    KV_EMPTY_KEY(f -> f.header("GGUF", 3, 0, 2).str("").i32(T.UINT32).u32(7).str("").i32(T.UINT32).u32(8).pad()),
    /** A value type past the last GGUF type. */
    KV_BAD_TYPE(f -> f.header("GGUF", 3, 0, 1).str("my_key_0").i32(T.COUNT).u8(1).pad()),
    KV_DUPLICATE_KEY(f -> f.header("GGUF", 3, 0, 2).str("my_key_0").i32(T.UINT32).u32(7)
            .str("my_key_0").i32(T.UINT32).u32(8).pad()),
    /** general.alignment = 13, not a power of two. */
    KV_BAD_ALIGN(f -> f.header("GGUF", 3, 0, 1).str("general.alignment").i32(T.UINT32).u32(13).pad()),
    /** general.alignment declared as INT32 instead of UINT32. */
    KV_WRONG_TYPE_ALIGN(f -> f.header("GGUF", 3, 0, 1).str("general.alignment").i32(T.INT32).i32(32).pad()),
    /**
     * A string value claiming 2^62 bytes (test-gguf's removed KV_BAD_VALUE_SIZE, whose point is that
     * the reader must check sizes against the file before allocating).
     */
    KV_BAD_VALUE_SIZE(f -> f.header("GGUF", 3, 0, 1).str("my_key_0").i32(T.STRING).u64(1L << 62).bytes("abc").pad()),
    /** An array of 2^61 UINT32 in a file of a few bytes. */
    KV_HUGE_ARRAY(f -> f.header("GGUF", 3, 0, 1).str("my_key_0").i32(T.ARRAY).i32(T.UINT32).u64(1L << 61)
            .u32(1).pad()),

    /** A tensor name longer than GGML_MAX_NAME (64). */
    TENSORS_BAD_NAME_SIZE(f -> f.modelHeader(1).tensor("my_tensor_0_with_a_very_long_name_which_is_longer_than_what_is_allowed_for_ggml_tensors",
            T.F32, 0, 8).pad().zeros(32)),
    /** Five dimensions (GGML_MAX_DIMS + 1). */
    TENSORS_BAD_N_DIMS(f -> f.modelHeader(1).str("my_tensor_0").u32(5).i64(8).i64(1).i64(1).i64(1).i64(1)
            .i32(T.F32).u64(0).pad().zeros(32)),
    /** A dimension of -1. */
    TENSORS_BAD_SHAPE(f -> f.modelHeader(1).tensor("my_tensor_0", T.F32, 0, -1).pad().zeros(32)),
    /** Two dimensions of 4 * INT32_MAX: the element count overflows int64. */
    TENSORS_NE_TOO_BIG(f -> f.modelHeader(1).tensor("my_tensor_0", T.F32, 0, 4L * Integer.MAX_VALUE, 4L * Integer.MAX_VALUE)
            .pad().zeros(32)),
    /** A ggml type that does not exist. */
    TENSORS_BAD_TYPE(f -> f.modelHeader(1).tensor("my_tensor_0", 1000, 0, 8).pad().zeros(32)),
    /** A data offset of 2^64-1. */
    TENSORS_BAD_OFFSET(f -> f.modelHeader(1).tensor("my_tensor_0", T.F32, -1L, 8).pad().zeros(32)),
    TENSORS_DUPLICATE_NAME(f -> f.modelHeader(2).tensor("my_tensor", T.F32, 0, 8).tensor("my_tensor", T.F32, 32, 8)
            .pad().zeros(64)),

    /** The tensor data ends one byte short. */
    DATA_NOT_ENOUGH_DATA(f -> f.modelHeader(1).tensor("my_tensor_0", T.F32, 0, 64).pad().zeros(64 * 4 - 1)),
    /** Two I8 tensors of 0x7FFFFFFFFFFFFFC0 elements: their total size overflows. */
    DATA_MEM_SIZE_OVERFLOW(f -> f.modelHeader(2).tensor("my_tensor_0", T.I8, 0, 0x7FFFFFFFFFFFFFC0L)
            .tensor("my_tensor_1", T.I8, 0x7FFFFFFFFFFFFFC0L, 0x7FFFFFFFFFFFFFC0L).pad().zeros(32));

    /** GGUF value types (gguf.h), ggml tensor types (ggml.h), the default alignment. */
    private static final class T {
        static final int UINT32 = 4, INT32 = 5, STRING = 8, ARRAY = 9, COUNT = 13;
        static final int F32 = 0, I8 = 24;
        static final int ALIGNMENT = 32;
    }

    private final Consumer<Writer> content;

    CorruptGguf(Consumer<Writer> content) {
        this.content = content;
    }

    /** The file's bytes. */
    public byte[] bytes() {
        Writer w = new Writer();
        content.accept(w);
        return w.out.toByteArray();
    }

    /** Writes the file into {@code dir} as {@code <name>.gguf}. */
    public Path writeTo(Path dir) {
        Path file = dir.resolve(name().toLowerCase() + ".gguf");
        try {
            Files.write(file, bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Little-endian GGUF fields. */
    static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private Writer put(int size, Consumer<ByteBuffer> value) {
            ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            value.accept(b);
            out.writeBytes(b.array());
            return this;
        }

        Writer u8(int v) { out.write(v); return this; }

        Writer u32(int v) { return put(4, b -> b.putInt(v)); }

        Writer i32(int v) { return put(4, b -> b.putInt(v)); }

        Writer u64(long v) { return put(8, b -> b.putLong(v)); }

        Writer i64(long v) { return put(8, b -> b.putLong(v)); }

        Writer bytes(String s) { out.writeBytes(s.getBytes(StandardCharsets.UTF_8)); return this; }

        /** A GGUF string: u64 length, then the bytes. */
        Writer str(String s) { return u64(s.getBytes(StandardCharsets.UTF_8).length).bytes(s); }

        Writer header(String magic, int version, long tensors, long kvs) {
            return bytes(magic).u32(version).u64(tensors).u64(kvs);
        }

        /** A good header with one KV (general.architecture = llama), announcing {@code tensors}. */
        Writer modelHeader(int tensors) {
            return header("GGUF", 3, tensors, 1).str("general.architecture").i32(T.STRING).str("llama");
        }

        Writer tensor(String name, int type, long offset, long... shape) {
            str(name).u32(shape.length);
            for (long d : shape) {
                i64(d);
            }
            return i32(type).u64(offset);
        }

        Writer pad() {
            while (out.size() % T.ALIGNMENT != 0) {
                out.write(0);
            }
            return this;
        }

        Writer zeros(int n) {
            out.writeBytes(new byte[n]);
            return this;
        }
    }
}
