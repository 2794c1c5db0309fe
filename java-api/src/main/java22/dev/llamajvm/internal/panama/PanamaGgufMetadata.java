package dev.llamajvm.internal.panama;

import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.bindings.gguf_h;
import dev.llamajvm.bindings.gguf_init_params;
import dev.llamajvm.internal.engine.GgufMetadata;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A GGUF file's key/values through ggml's gguf reader (no tensor data is read). */
final class PanamaGgufMetadata implements GgufMetadata {

    private static final Type[] TYPES = Type.values();

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment gguf;
    /** Key ids by name: the checks ask for the same array key once per element. */
    private final Map<String, Long> ids = new HashMap<>();

    private PanamaGgufMetadata(MemorySegment gguf) {
        this.gguf = gguf;
    }

    /**
     * Reads the file's header, or returns empty if ggml's reader refuses it: llama.cpp's own load then
     * refuses it too, with its reason, so what the reader logged here is dropped.
     */
    static Optional<GgufMetadata> read(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = gguf_init_params.allocate(arena);
            gguf_init_params.no_alloc(params, true);
            gguf_init_params.ctx(params, MemorySegment.NULL);
            MemorySegment file = arena.allocateFrom(path.toString());
            MemorySegment gguf = NativeLog.capture(() -> gguf_h.gguf_init_from_file(file, params)).value();
            return gguf.equals(MemorySegment.NULL) ? Optional.empty() : Optional.of(new PanamaGgufMetadata(gguf));
        }
    }

    private long id(String key) {
        return ids.computeIfAbsent(key, k -> gguf_h.gguf_find_key(gguf, arena.allocateFrom(k)));
    }

    @Override
    public Type type(String key) {
        long id = id(key);
        return id < 0 ? null : typeOf(gguf_h.gguf_get_kv_type(gguf, id));
    }

    private static Type typeOf(int code) {
        return code >= 0 && code < TYPES.length ? TYPES[code] : null;
    }

    @Override
    public long uint32(String key) {
        return Integer.toUnsignedLong(gguf_h.gguf_get_val_u32(gguf, id(key)));
    }

    @Override
    public String string(String key) {
        return new String(cString(gguf_h.gguf_get_val_str(gguf, id(key))), StandardCharsets.UTF_8);
    }

    @Override
    public Type arrayType(String key) {
        return typeOf(gguf_h.gguf_get_arr_type(gguf, id(key)));
    }

    @Override
    public long arrayLength(String key) {
        return gguf_h.gguf_get_arr_n(gguf, id(key));
    }

    @Override
    public long arrayInteger(String key, long index) {
        long id = id(key);
        Objects.checkIndex(index, gguf_h.gguf_get_arr_n(gguf, id));
        Type type = typeOf(gguf_h.gguf_get_arr_type(gguf, id));
        if (type != Type.BOOL && type != Type.UINT32 && type != Type.INT32) {
            throw new IllegalArgumentException(key + " is not an INT32, UINT32 or BOOL array");
        }
        // Unbounded view: the element was bounds-checked against the array's length above.
        MemorySegment data = gguf_h.gguf_get_arr_data(gguf, id).reinterpret(Long.MAX_VALUE);
        return switch (type) {
            case BOOL -> data.get(ValueLayout.JAVA_BYTE, index) != 0 ? 1 : 0;
            case UINT32 -> Integer.toUnsignedLong(data.getAtIndex(ValueLayout.JAVA_INT, index));
            default -> data.getAtIndex(ValueLayout.JAVA_INT, index);
        };
    }

    @Override
    public byte[] arrayString(String key, long index) {
        return cString(gguf_h.gguf_get_arr_str(gguf, id(key), index));
    }

    private static byte[] cString(MemorySegment pointer) {
        MemorySegment text = pointer.reinterpret(Long.MAX_VALUE);
        long length = 0;
        while (text.get(ValueLayout.JAVA_BYTE, length) != 0) {
            length++;
        }
        return text.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public void close() {
        gguf_h.gguf_free(gguf);
        arena.close();
    }
}
