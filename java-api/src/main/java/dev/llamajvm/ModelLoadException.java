package dev.llamajvm;

import java.util.List;

/**
 * A model file could not be loaded: missing, unreadable, not GGUF, truncated or corrupt, or an architecture this llama.cpp does not know. The message names the file; {@link #nativeLog()} holds llama.cpp's reason.
 */
public class ModelLoadException extends LlamaException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message and no cause. */
    public ModelLoadException(String message) {
        super(message);
    }

    /** Creates an exception carrying what llama.cpp logged around the failing call. */
    public ModelLoadException(String message, List<String> nativeLog) {
        super(message, nativeLog);
    }

    /** Creates an exception with the given message and the failure that caused it. */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
