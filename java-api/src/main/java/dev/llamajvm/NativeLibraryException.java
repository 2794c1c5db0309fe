package dev.llamajvm;

/**
 * llama.cpp's native libraries could not be found, extracted or loaded.
 *
 * <p>The message says what was looked for and how to fix it; each failed attempt is attached as a
 * {@linkplain #getSuppressed() suppressed} exception. Like every {@link LlamaException} it may be
 * passed between threads freely.
 */
public class NativeLibraryException extends LlamaException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message and no cause. */
    public NativeLibraryException(String message) {
        super(message);
    }

    /** Creates an exception with the given message and the failure that caused it. */
    public NativeLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
