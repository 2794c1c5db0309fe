package dev.llamajvm;

/**
 * A chat template could not be parsed or rendered, or (with
 * {@link TurnOptions#strictToolCalls()}) a reply did not match the model's tool-call format.
 * The message carries llama.cpp's reason.
 */
public class ChatFormatException extends LlamaException {

    private static final long serialVersionUID = 1L;

    public ChatFormatException(String message) {
        super(message);
    }
}
