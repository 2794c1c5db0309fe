package dev.llamajvm;

import java.util.List;

/**
 * llama.cpp failed while evaluating tokens (for example, no room left in the KV cache). The session stays usable: its state is rolled back to before the failed call.
 */
public class InferenceException extends LlamaException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message and no cause. */
    public InferenceException(String message) {
        super(message);
    }

    /** Creates an exception carrying what llama.cpp logged around the failing call. */
    public InferenceException(String message, List<String> nativeLog) {
        super(message, nativeLog);
    }

    /** Creates an exception with the given message and the failure that caused it. */
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
