package dev.llamajvm;

import java.util.List;

/**
 * A prompt (with what the session already holds) does not fit the context. Shorten it, start a new session, or choose a larger context size.
 */
public class PromptTooLongException extends LlamaException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message and no cause. */
    public PromptTooLongException(String message) {
        super(message);
    }

    /** Creates an exception carrying what llama.cpp logged around the failing call. */
    public PromptTooLongException(String message, List<String> nativeLog) {
        super(message, nativeLog);
    }

    /** Creates an exception with the given message and the failure that caused it. */
    public PromptTooLongException(String message, Throwable cause) {
        super(message, cause);
    }
}
