package dev.llamajvm.testing.models;

import dev.llamajvm.bindings.gguf_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Sets metadata keys of a gguf context being written; strings live in {@code arena}. */
record GgufKeys(MemorySegment ctx, Arena arena) {

    void str(String key, String value) {
        gguf_h.gguf_set_val_str(ctx, arena.allocateFrom(key), arena.allocateFrom(value));
    }

    void u32(String key, int value) {
        gguf_h.gguf_set_val_u32(ctx, arena.allocateFrom(key), value);
    }

    void f32(String key, float value) {
        gguf_h.gguf_set_val_f32(ctx, arena.allocateFrom(key), value);
    }

    void bool(String key, boolean value) {
        gguf_h.gguf_set_val_bool(ctx, arena.allocateFrom(key), value);
    }

    void f32s(String key, float[] values) {
        gguf_h.gguf_set_arr_data(ctx, arena.allocateFrom(key), gguf_h.GGUF_TYPE_FLOAT32(),
                arena.allocateFrom(ValueLayout.JAVA_FLOAT, values), values.length);
    }

    void i32s(String key, int[] values) {
        gguf_h.gguf_set_arr_data(ctx, arena.allocateFrom(key), gguf_h.GGUF_TYPE_INT32(),
                arena.allocateFrom(ValueLayout.JAVA_INT, values), values.length);
    }
}
