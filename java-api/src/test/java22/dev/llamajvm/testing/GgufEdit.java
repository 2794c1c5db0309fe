package dev.llamajvm.testing;

import dev.llamajvm.NativeLibraries;
import dev.llamajvm.bindings.ggml_h;
import dev.llamajvm.bindings.gguf_h;
import dev.llamajvm.bindings.gguf_init_params;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A copy of a GGUF file with some keys set, written by ggml's own gguf code: well-formed files
 * whose values are what is wrong. Tensors and their data are copied as they are.
 */
public final class GgufEdit {

    private final Path source;
    private final List<String> description = new ArrayList<>();
    private final List<BiConsumer<MemorySegment, Arena>> edits = new ArrayList<>();

    private GgufEdit(Path source) {
        this.source = source;
    }

    public static GgufEdit of(Path source) {
        return new GgufEdit(source);
    }

    public GgufEdit uint32(String key, long value) {
        return edit(key + " = " + value, (gguf, arena) -> gguf_h.gguf_set_val_u32(gguf, arena.allocateFrom(key), (int) value));
    }

    public GgufEdit string(String key, String value) {
        return edit(key + " = \"" + value + "\"",
                (gguf, arena) -> gguf_h.gguf_set_val_str(gguf, arena.allocateFrom(key), arena.allocateFrom(value)));
    }

    public GgufEdit int32Array(String key, int... values) {
        return edit(key + " = int32[" + values.length + "]", (gguf, arena) -> gguf_h.gguf_set_arr_data(gguf,
                arena.allocateFrom(key), gguf_h.GGUF_TYPE_INT32(), arena.allocateFrom(ValueLayout.JAVA_INT, values), values.length));
    }

    private GgufEdit edit(String what, BiConsumer<MemorySegment, Arena> edit) {
        description.add(what);
        edits.add(edit);
        return this;
    }

    /** Writes the edited copy to {@code target} and returns it. */
    public Path writeTo(Path target) {
        NativeLibraries.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dataContext = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment init = gguf_init_params.allocate(arena);
            gguf_init_params.no_alloc(init, false);
            gguf_init_params.ctx(init, dataContext);
            MemorySegment file = gguf_h.gguf_init_from_file(arena.allocateFrom(source.toString()), init);
            if (file.equals(MemorySegment.NULL)) {
                throw new UncheckedIOException(new IOException("gguf cannot read " + source));
            }
            MemorySegment data = dataContext.get(ValueLayout.ADDRESS, 0);
            MemorySegment out = gguf_h.gguf_init_empty();
            try {
                gguf_h.gguf_set_kv(out, file);
                edits.forEach(edit -> edit.accept(out, arena));
                for (long i = 0; i < gguf_h.gguf_get_n_tensors(file); i++) {
                    gguf_h.gguf_add_tensor(out, ggml_h.ggml_get_tensor(data, gguf_h.gguf_get_tensor_name(file, i)));
                }
                if (!gguf_h.gguf_write_to_file(out, arena.allocateFrom(target.toString()), false)) {
                    throw new UncheckedIOException(new IOException("gguf_write_to_file failed for " + target));
                }
            } finally {
                gguf_h.gguf_free(out);
                gguf_h.gguf_free(file);
                ggml_h.ggml_free(data);
            }
        }
        return target;
    }

    @Override
    public String toString() {
        return source.getFileName() + " with " + String.join(", ", description);
    }
}
