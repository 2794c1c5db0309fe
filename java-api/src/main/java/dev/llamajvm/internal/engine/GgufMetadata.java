package dev.llamajvm.internal.engine;

/**
 * The key/value section of a GGUF file, read without loading the model: what {@link ModelFileCheck}
 * looks at. Each getter expects a key of the type it reads; callers ask {@link #type} first (a
 * getter of the wrong type aborts the process in ggml's gguf reader). One thread; close when done.
 */
public interface GgufMetadata extends AutoCloseable {

    /** GGUF value types, in gguf.h's order (their ordinal is the C enum value). */
    enum Type { UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 }

    /** The type of {@code key}'s value, or null if the file has no such key. */
    Type type(String key);

    /** A UINT32 value, as an unsigned number. */
    long uint32(String key);

    /** A STRING value, up to its first NUL byte (llama.cpp reads it as a C string). */
    String string(String key);

    /** The element type of an ARRAY value. */
    Type arrayType(String key);

    /** The element count of an ARRAY value. */
    long arrayLength(String key);

    /** Element {@code index} of an INT32, UINT32 or BOOL array, as a number (UINT32 unsigned). */
    long arrayInteger(String key, long index);

    /** Element {@code index} of a STRING array, up to its first NUL byte, as raw bytes. */
    byte[] arrayString(String key, long index);

    @Override
    void close();
}
