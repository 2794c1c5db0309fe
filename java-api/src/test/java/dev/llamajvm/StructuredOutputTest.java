package dev.llamajvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.llamajvm.testing.TinyLlama3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replies constrained by a JSON schema are JSON valid against it, whatever the model's weights:
 * a random-weight model, 30 seeds, checked by Jackson and an independent schema validator.
 */
class StructuredOutputTest {

    static final String SCHEMA = """
            {"type": "object",
             "properties": {
               "title": {"type": "string", "maxLength": 12},
               "priority": {"type": "string", "enum": ["low", "medium", "high"]},
               "owner": {"type": "object",
                         "properties": {"name": {"type": "string", "maxLength": 10},
                                        "age": {"type": "integer", "minimum": 0, "maximum": 120}},
                         "required": ["name", "age"], "additionalProperties": false},
               "tags": {"type": "array", "items": {"type": "string", "maxLength": 8}, "minItems": 1, "maxItems": 3},
               "done": {"type": "boolean"}},
             "required": ["title", "priority", "owner", "tags", "done"],
             "additionalProperties": false}""";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LlamaModel model;

    @BeforeAll
    static void load() {
        model = TinyLlama3.shared();
    }

    @Test
    void everySeedGivesJsonValidAgainstTheSchema() throws Exception {
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SCHEMA);
        for (int seed = 1; seed <= 30; seed++) {
            try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(2048))) {
                TurnOptions turn = TurnOptions.withFormat(Format.jsonSchema(SCHEMA))
                        .generate(GenerateOptions.defaults().maxTokens(600).sampling(Sampling.seeded(seed)));
                Reply reply = chat.send("Describe a task as JSON.", turn);
                assertEquals(Reply.StopReason.END_OF_GENERATION, reply.stopReason(), "seed " + seed + ": " + reply.text());
                JsonNode parsed = JSON.readTree(reply.text());
                Set<ValidationMessage> errors = validator.validate(parsed);
                assertTrue(errors.isEmpty(), "seed " + seed + ": " + reply.text() + " -> " + errors);
            }
        }
    }

    record Owner(String name, int age) {}

    enum Priority { LOW, HIGH }

    record Task(String title, Priority priority, Owner owner, List<String> tags, boolean done) {}

    @Test
    void aRecordsSchemaConstrainsTheReplyToThatRecordsShape() throws Exception {
        try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(2048))) {
            Reply reply = chat.send("A task, please.", TurnOptions.withFormat(Format.jsonSchema(Task.class))
                    .generate(GenerateOptions.defaults().maxTokens(400).sampling(Sampling.seeded(3))));
            if (reply.stopReason() == Reply.StopReason.END_OF_GENERATION) {
                JsonNode node = JSON.readTree(reply.text());
                assertTrue(Set.of("LOW", "HIGH").contains(node.get("priority").asText()), reply.text());
                assertTrue(node.get("owner").get("age").canConvertToInt(), reply.text());
                assertTrue(node.get("tags").isArray(), reply.text());
            } else {
                // The unbounded strings of a record schema may run past the token limit on random weights.
                assertEquals(Reply.StopReason.MAX_TOKENS, reply.stopReason());
                assertTrue(reply.text().startsWith("{"), reply.text());
            }
        }
    }

    @Test
    void anyJsonObjectFormatGivesAnObject() throws Exception {
        try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(2048))) {
            Reply reply = chat.send("JSON please", TurnOptions.withFormat(Format.json())
                    .generate(GenerateOptions.defaults().maxTokens(300).sampling(Sampling.seeded(5))));
            assertTrue(reply.text().stripLeading().startsWith("{"), reply.text());
            if (reply.stopReason() == Reply.StopReason.END_OF_GENERATION) {
                assertTrue(JSON.readTree(reply.text()).isObject(), reply.text());
            }
        }
    }

    @Test
    void aGbnfFormatConstrainsTheReply() {
        try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(2048))) {
            Reply reply = chat.send("Yes or no?", TurnOptions.withFormat(Format.grammar("root ::= \"yes\" | \"no\""))
                    .generate(GenerateOptions.defaults().maxTokens(8).sampling(Sampling.seeded(1))));
            assertTrue(Set.of("yes", "no").contains(reply.text()), reply.text());
        }
    }

    @Test
    void invalidSchemasAndGrammarsFailBeforeGenerationAndTheChatStaysUsable() {
        try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(2048))) {
            assertThrows(InvalidSamplingException.class, () -> chat.send("x",
                    TurnOptions.withFormat(Format.jsonSchema("{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/nowhere\"}}}"))));
            assertThrows(InvalidSamplingException.class, () -> chat.send("x",
                    TurnOptions.withFormat(Format.jsonSchema("{not json"))));
            assertThrows(InvalidSamplingException.class, () -> chat.send("x",
                    TurnOptions.withFormat(Format.grammar("root ::= undefined-rule"))));
            assertTrue(chat.history().isEmpty(), chat.history().toString());
            Reply reply = chat.send(Message.user("still there?"), GenerateOptions.defaults().maxTokens(4).ignoreEos(true), p -> { });
            assertEquals(4, reply.generatedTokens());
        }
    }

    @Test
    void aSchemaNestedTooDeeplyIsAnExceptionNotACrash() {
        // llama.cpp's schema converter recurses: 2,000 levels overflowed a 1 MB stack and killed the JVM.
        String deep = "{\"type\":\"array\",\"items\":".repeat(5_000) + "{\"type\":\"string\"}" + "}".repeat(5_000);
        try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(2048))) {
            InvalidSamplingException e = assertThrows(InvalidSamplingException.class,
                    () -> chat.send("x", TurnOptions.withFormat(Format.jsonSchema(deep))));
            assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
            assertTrue(chat.history().isEmpty(), chat.history().toString());
        }
    }
}
