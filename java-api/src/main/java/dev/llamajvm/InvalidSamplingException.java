package dev.llamajvm;

import java.util.List;

/**
 * A sampler chain could not be built, typically a GBNF grammar llama.cpp rejects; raised before anything is generated.
 */
public class InvalidSamplingException extends LlamaException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message and no cause. */
    public InvalidSamplingException(String message) {
        super(message);
    }

    /** Creates an exception carrying what llama.cpp logged around the failing call. */
    public InvalidSamplingException(String message, List<String> nativeLog) {
        super(message, nativeLog);
    }

    /** Creates an exception with the given message and the failure that caused it. */
    public InvalidSamplingException(String message, Throwable cause) {
        super(message, cause);
    }
}
