package dev.llamajvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamajvm.internal.chat.ChatCodec;
import dev.llamajvm.internal.chat.ReplyParser;
import dev.llamajvm.internal.engine.Engine;
import dev.llamajvm.testing.TestEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw replies in the tool-call styles of the major model families become the right Java tool
 * calls, parsed by llama.cpp's chat code for each family's real template from the pinned source.
 */
class ToolCallParsingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Tool> TOOLS = List.of(ChatTemplateTest.WEATHER,
            Tool.of("python", "Runs Python code", "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\"}},\"required\":[\"code\"]}"));

    private static ChatTemplate template(String file) {
        return ChatTemplate.of(TestEnvironment.llamaSource().resolve("models/templates").resolve(file),
                "<|begin_of_text|>", "<|eot_id|>");
    }

    private static void assertCall(ChatTemplate.ParsedReply reply, String name, String key, String value) throws Exception {
        assertEquals(1, reply.toolCalls().size(), reply.toString());
        ToolCall call = reply.toolCalls().get(0);
        assertEquals(name, call.name());
        JsonNode args = JSON.readTree(call.arguments());
        assertEquals(value, args.get(key).asText(), call.arguments());
        assertTrue(reply.content().isBlank(), "content: '" + reply.content() + "'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // Llama 3.1/3.2/3.3: a bare JSON object with "name" and "parameters"
            "meta-llama-Llama-3.2-3B-Instruct.jinja|{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}",
            "meta-llama-Llama-3.1-8B-Instruct.jinja|{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}",
            "meta-llama-Llama-3.3-70B-Instruct.jinja|{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}",
            // Hermes 2 Pro / Hermes 3 / Qwen 2.5: <tool_call> tags around a JSON object with "arguments"
            "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use.jinja|<tool_call>\\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\\n</tool_call>",
            "NousResearch-Hermes-3-Llama-3.1-8B-tool_use.jinja|<tool_call>\\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\\n</tool_call>",
            "Qwen-Qwen2.5-7B-Instruct.jinja|<tool_call>\\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\\n</tool_call>",
            // Mistral Nemo: [TOOL_CALLS] and a JSON array
            "mistralai-Mistral-Nemo-Instruct-2407.jinja|[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, \"id\": \"abcDEF123\"}]",
    })
    void toolCallStylesBecomeJavaToolCalls(String templateFile, String raw) throws Exception {
        try (ChatTemplate template = template(templateFile)) {
            ChatTemplate.ParsedReply reply = template.parse(raw.replace("\\n", "\n"), TOOLS);
            assertCall(reply, "get_weather", "city", "Paris");
        }
    }

    @Test
    void mistralKeepsTheModelsCallId() throws Exception {
        try (ChatTemplate template = template("mistralai-Mistral-Nemo-Instruct-2407.jinja")) {
            ChatTemplate.ParsedReply reply = template.parse(
                    "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, \"id\": \"abcDEF123\"}]", TOOLS);
            assertEquals("abcDEF123", reply.toolCalls().get(0).id());
        }
    }

    @Test
    void llama3PythonTagWithJsonBecomesAToolCall() throws Exception {
        try (ChatTemplate template = template("meta-llama-Llama-3.1-8B-Instruct.jinja")) {
            ChatTemplate.ParsedReply reply = template.parse(
                    "<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}", TOOLS);
            assertEquals(1, reply.toolCalls().size(), reply.toString());
            assertEquals("get_weather", reply.toolCalls().get(0).name());
            assertEquals("Paris", JSON.readTree(reply.toolCalls().get(0).arguments()).get("city").asText());
        }
    }

    @Test
    void llama3PythonTagWithBareCodeStaysContentAtThisPin() {
        // llama.cpp's parser (pinned) reads no built-in code-interpreter calls: documented in the README.
        try (ChatTemplate template = template("meta-llama-Llama-3.1-8B-Instruct.jinja")) {
            ChatTemplate.ParsedReply reply = template.parse("<|python_tag|>print(6 * 7)", TOOLS);
            assertTrue(reply.toolCalls().isEmpty());
            assertTrue(reply.content().contains("print(6 * 7)"));
        }
    }

    @Test
    void plainTextStaysContent() {
        try (ChatTemplate template = template("Qwen-Qwen2.5-7B-Instruct.jinja")) {
            ChatTemplate.ParsedReply reply = template.parse("It is sunny in Paris.", TOOLS);
            assertEquals("It is sunny in Paris.", reply.content());
            assertTrue(reply.toolCalls().isEmpty());
        }
    }

    @Test
    void twoHermesCallsBecomeTwoToolCallsWithIds() throws Exception {
        try (ChatTemplate template = template("Qwen-Qwen2.5-7B-Instruct.jinja")) {
            ChatTemplate.ParsedReply reply = template.parse("""
                    <tool_call>
                    {"name": "get_weather", "arguments": {"city": "Paris"}}
                    </tool_call>
                    <tool_call>
                    {"name": "get_weather", "arguments": {"city": "Oslo"}}
                    </tool_call>""", TOOLS);
            assertEquals(2, reply.toolCalls().size(), reply.toString());
            assertEquals("Oslo", JSON.readTree(reply.toolCalls().get(1).arguments()).get("city").asText());
            assertTrue(reply.toolCalls().stream().allMatch(c -> !c.id().isEmpty()));
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "meta-llama-Llama-3.2-3B-Instruct.jinja|<tool_call>{\"name\": \"get_weather\", \"arguments\": {}}</tool_call>",
            "meta-llama-Llama-3.2-3B-Instruct.jinja|{\"name\": \"get_weather\", \"parameters\": {\"city\": ",
            "mistralai-Mistral-Nemo-Instruct-2407.jinja|[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": ",
    })
    void malformedCallsAreAnExceptionWhenStrictAndContentWithANoteOtherwise(String templateFile, String raw) {
        try (ChatTemplate template = template(templateFile)) {
            assertThrows(ChatFormatException.class, () -> template.parse(raw, TOOLS));
            // What a chat turn does without strictness: the reply is kept whole, with the reason.
            var turn = template.prepare(List.of(Message.user("")), TurnOptions.defaults().tools(TOOLS), null);
            var kept = ChatCodec.readParsed(Engine.get().parseChat(ChatCodec.parseRequest(turn, raw, false)), raw, false);
            assertEquals(raw, kept.content());
            assertTrue(kept.toolCalls().isEmpty());
            assertTrue(kept.note() != null && !kept.note().isBlank());
        }
    }

    @Test
    void argumentsWithIntegersBeyondALongStayACall() throws Exception {
        try (ChatTemplate template = template("meta-llama-Llama-3.2-3B-Instruct.jinja")) {
            ChatTemplate.ParsedReply reply = template.parse(
                    "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\", \"station\": 123456789012345678901234567890}}",
                    TOOLS);
            assertCall(reply, "get_weather", "city", "Paris");
            assertTrue(JSON.readTree(reply.toolCalls().get(0).arguments()).get("station").isNumber(),
                    reply.toolCalls().get(0).arguments());
        }
    }

    /**
     * Nested arguments: past the JSON reader's 512 levels, then deep enough that llama.cpp's
     * recursive parser would overflow an ordinary thread's stack (it killed the JVM at about 530
     * levels on a 1 MB stack), then past what is handed to that parser at all.
     */
    @ParameterizedTest(name = "{0} levels")
    @org.junit.jupiter.params.provider.ValueSource(ints = {600, 5_000, 20_000})
    void deeplyNestedArgumentsAreAnExceptionWhenStrictAndContentWithANoteOtherwiseNeverACrash(int depth) {
        String nested = "[".repeat(depth) + "]".repeat(depth);
        String raw = "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\", \"deep\": " + nested + "}}";
        try (ChatTemplate template = template("meta-llama-Llama-3.2-3B-Instruct.jinja")) {
            ChatFormatException e = assertThrows(ChatFormatException.class, () -> template.parse(raw, TOOLS));
            assertTrue(e.getMessage().contains("nested deeper than") || e.getMessage().contains("opening brackets"),
                    e.getMessage().substring(0, Math.min(300, e.getMessage().length())));
            var turn = template.prepare(List.of(Message.user("")), TurnOptions.defaults().tools(TOOLS), null);
            var kept = new ReplyParser(turn, Engine.get()::parseChat).parse(raw, false, false);
            assertEquals(raw, kept.content());
            assertTrue(kept.toolCalls().isEmpty());
            assertTrue(kept.note() != null && !kept.note().isBlank());
        }
    }
}
