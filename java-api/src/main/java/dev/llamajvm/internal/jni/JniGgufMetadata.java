package dev.llamajvm.internal.jni;

import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.GgufMetadata;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.internal.engine.ProjectorFileCheck;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A GGUF file's key/values and tensor table through ggml's gguf reader (no tensor data is read). */
final class JniGgufMetadata implements GgufMetadata, ProjectorFileCheck.TensorTable {

    private static final Type[] TYPES = Type.values();

    private final Llama.gguf_context gguf;
    /** Key ids by name: the checks ask for the same array key once per element. */
    private final Map<String, Long> ids = new HashMap<>();

    private JniGgufMetadata(Llama.gguf_context gguf) {
        this.gguf = gguf;
    }

    /**
     * Reads the file's header, or returns empty if ggml's reader refuses it: llama.cpp's own load then
     * refuses it too, with its reason, so what the reader logged here is dropped.
     */
    static Optional<JniGgufMetadata> read(Path path) {
        Llama.gguf_context gguf = open(path).value();
        return gguf == null || gguf.isNull() ? Optional.empty() : Optional.of(new JniGgufMetadata(gguf));
    }

    /** The metadata of a context {@link #open} returned; closing it frees the context. */
    static JniGgufMetadata of(Llama.gguf_context gguf) {
        return new JniGgufMetadata(gguf);
    }

    /** gguf_init_from_file with no_alloc, and what it logged; the value is null when it refused. */
    static NativeLog.Captured<Llama.gguf_context> open(Path path) {
        try (Llama.gguf_init_params params = new Llama.gguf_init_params();
             BytePointer file = JniStrings.utf8(path.toString())) {
            params.no_alloc(true);
            params.ctx((PointerPointer) null);
            return NativeLog.capture(() -> Llama.gguf_init_from_file(file, params));
        }
    }

    private long id(String key) {
        return ids.computeIfAbsent(key, k -> {
            try (BytePointer name = JniStrings.utf8(k)) {
                return Llama.gguf_find_key(gguf, name);
            }
        });
    }

    @Override
    public Type type(String key) {
        long id = id(key);
        return id < 0 ? null : typeOf(Llama.gguf_get_kv_type(gguf, id));
    }

    private static Type typeOf(int code) {
        return code >= 0 && code < TYPES.length ? TYPES[code] : null;
    }

    @Override
    public long uint32(String key) {
        return Integer.toUnsignedLong(Llama.gguf_get_val_u32(gguf, id(key)));
    }

    @Override
    public String string(String key) {
        return new String(JniStrings.bytes(Llama.gguf_get_val_str(gguf, id(key))), StandardCharsets.UTF_8);
    }

    /** The file's architecture, "" when the key is absent or not a string (asking then would abort). */
    String architecture() {
        return type("general.architecture") == Type.STRING ? string("general.architecture") : "";
    }

    @Override
    public Type arrayType(String key) {
        return typeOf(Llama.gguf_get_arr_type(gguf, id(key)));
    }

    @Override
    public long arrayLength(String key) {
        return Llama.gguf_get_arr_n(gguf, id(key));
    }

    @Override
    public long arrayInteger(String key, long index) {
        long id = id(key);
        Objects.checkIndex(index, Llama.gguf_get_arr_n(gguf, id));
        Type type = typeOf(Llama.gguf_get_arr_type(gguf, id));
        if (type != Type.BOOL && type != Type.UINT32 && type != Type.INT32) {
            throw new IllegalArgumentException(key + " is not an INT32, UINT32 or BOOL array");
        }
        // The element was bounds-checked against the array's length above.
        if (type == Type.BOOL) {
            return new BytePointer(Llama.gguf_get_arr_data(gguf, id)).get(index) != 0 ? 1 : 0;
        }
        int value = new IntPointer(Llama.gguf_get_arr_data(gguf, id)).get(index);
        return type == Type.UINT32 ? Integer.toUnsignedLong(value) : value;
    }

    @Override
    public byte[] arrayString(String key, long index) {
        return JniStrings.bytes(Llama.gguf_get_arr_str(gguf, id(key), index));
    }

    @Override
    public long dataOffset() {
        return Llama.gguf_get_data_offset(gguf);
    }

    @Override
    public long count() {
        return Llama.gguf_get_n_tensors(gguf);
    }

    @Override
    public long offset(long i) {
        return Llama.gguf_get_tensor_offset(gguf, i);
    }

    @Override
    public long size(long i) {
        return Llama.gguf_get_tensor_size(gguf, i);
    }

    @Override
    public String name(long i) {
        return JniStrings.read(Llama.gguf_get_tensor_name(gguf, i));
    }

    @Override
    public void close() {
        Llama.gguf_free(gguf);
    }
}
