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

    /** What llama.cpp logged around the failing call (possibly empty). */
    private final java.util.List<String> nativeLog;

    /** Creates an exception with the given message and no cause. */
    public LlamaException(String message) {
        this(message, java.util.List.of());
    }

    /**
     * Creates an exception whose message ends with the lines llama.cpp logged around the failing
     * call: its own words are usually the best reason there is.
     */
    public LlamaException(String message, java.util.List<String> nativeLog) {
        super(withNativeLog(message, nativeLog));
        this.nativeLog = java.util.List.copyOf(nativeLog);
    }

    /** Creates an exception with the given message and the failure that caused it. */
    public LlamaException(String message, Throwable cause) {
        super(message, cause);
        this.nativeLog = java.util.List.of();
    }

    /** The lines llama.cpp logged around the failing call, oldest first; empty when none. */
    public java.util.List<String> nativeLog() {
        return nativeLog;
    }

    private static String withNativeLog(String message, java.util.List<String> nativeLog) {
        if (nativeLog.isEmpty()) {
            return message;
        }
        return message + "\nllama.cpp said:\n  " + String.join("\n  ", nativeLog);
    }
}
