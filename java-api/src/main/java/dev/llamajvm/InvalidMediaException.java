package dev.llamajvm;

import java.util.List;

/**
 * An image or audio clip that cannot be used: empty, not decodable, beyond the configured limits,
 * of a kind the projector does not take, or given to a chat without a projector. Nothing was
 * evaluated: the chat is as it was before the message and stays usable.
 */
public class InvalidMediaException extends LlamaException {

    private static final long serialVersionUID = 1L;

    public InvalidMediaException(String message) {
        super(message);
    }

    public InvalidMediaException(String message, List<String> nativeLog) {
        super(message, nativeLog);
    }
}
