package dev.llamajvm;

import java.util.Objects;

/**
 * The shape a chat reply must take. The constraint is a grammar that llama.cpp's sampler applies
 * token by token, so the reply cannot leave it (it can still be cut short by the token limit).
 *
 * <pre>{@code
 * chat.send("List three fruits", TurnOptions.withFormat(Format.jsonSchema(schema)));
 * }</pre>
 */
public sealed interface Format {

    /** Free text (the default). */
    static Format text() {
        return Text.INSTANCE;
    }

    /** Any JSON object. */
    static Format json() {
        return new JsonSchema("{\"type\":\"object\"}");
    }

    /** JSON valid against the given JSON schema (llama.cpp's json-schema-to-grammar subset). */
    static Format jsonSchema(String schema) {
        return new JsonSchema(schema);
    }

    /** JSON shaped like the given record ({@link JsonSchemas#of(Class)}). */
    static Format jsonSchema(Class<? extends Record> type) {
        return new JsonSchema(JsonSchemas.of(type));
    }

    /** Text of a GBNF grammar whose start rule is "root". */
    static Format grammar(String gbnf) {
        return new Grammar(gbnf);
    }

    /** Free text. */
    enum Text implements Format { INSTANCE }

    /** JSON valid against {@code schema} (JSON text). */
    record JsonSchema(String schema) implements Format {
        public JsonSchema {
            Objects.requireNonNull(schema, "schema");
        }
    }

    /** A GBNF grammar. */
    record Grammar(String gbnf) implements Format {
        public Grammar {
            Objects.requireNonNull(gbnf, "gbnf");
        }
    }
}
