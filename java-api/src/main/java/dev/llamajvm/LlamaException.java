package dev.llamajvm;

/**
 * Root of llama-jvm's exception family: every failure the library reports on purpose is a
 * {@code LlamaException} or a subclass, so callers can catch one type.
 *
 * <p>Unchecked, because most failures (a missing native library, a corrupt model) cannot be
 * handled where they surface. Instances are immutable apart from suppressed exceptions and may
 * be passed between threads freely.
 */
public class LlamaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message and no cause. */
    public LlamaException(String message) {
        super(message);
    }

    /** Creates an exception with the given message and the failure that caused it. */
    public LlamaException(String message, Throwable cause) {
        super(message, cause);
    }
}
