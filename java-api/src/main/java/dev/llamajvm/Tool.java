package dev.llamajvm;

import dev.llamajvm.internal.json.Json;

import java.util.Objects;

/**
 * A function the model may call. The chat template describes it to the model; the reply's
 * {@link Reply#toolCalls()} are the calls the model made. Immutable.
 *
 * <pre>{@code
 * record Meeting(String person, String time) {}
 * Tool calendar = Tool.of("book_meeting", "Books a meeting", Meeting.class);
 * }</pre>
 *
 * @param name        the function's name, as the model will write it
 * @param description what it does, in words for the model
 * @param parameters  a JSON schema (an object schema) of its arguments, as JSON text
 */
public record Tool(String name, String description, String parameters) {

    public Tool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parameters, "parameters");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a tool needs a name");
        }
        try {
            Json.parseObject(parameters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the parameters of tool " + name + " are not a JSON object: "
                    + e.getMessage(), e);
        }
    }

    /** A tool whose arguments the given JSON schema describes. */
    public static Tool of(String name, String description, String parametersSchema) {
        return new Tool(name, description, parametersSchema);
    }

    /** A tool whose arguments are the components of a record ({@link JsonSchemas#of(Class)}). */
    public static Tool of(String name, String description, Class<? extends Record> parameters) {
        return new Tool(name, description, JsonSchemas.of(parameters));
    }
}
