package dev.llamajvm;

import java.util.Objects;

/**
 * A call of a {@link Tool} that the model made. Answer it with {@link Message#toolResult}. Immutable.
 *
 * @param id        the call's id where the model's format has one, else one made up for it
 *                  ("call_1", "call_2", ... within the reply)
 * @param name      the tool's name
 * @param arguments the arguments, as JSON text (an object)
 */
public record ToolCall(String id, String name, String arguments) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
