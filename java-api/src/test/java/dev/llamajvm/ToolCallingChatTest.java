package dev.llamajvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamajvm.testing.TinyLlama3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tool calling end to end on a random-weight model with the real Llama 3 vocabulary and Llama 3.2
 * template: the grammar from llama.cpp's chat code keeps tool-call JSON valid whatever the
 * weights, the call arrives parsed, and the conversation continues with its result from the cache.
 */
class ToolCallingChatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bounded arguments, so random weights finish a call within the token limit. */
    static final Tool WEATHER = Tool.of("get_weather", "Current weather in a city", """
            {"type": "object", "properties": {"city": {"type": "string", "maxLength": 10},
             "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["city", "unit"]}""");

    private static LlamaModel model;

    @BeforeAll
    static void load() {
        model = TinyLlama3.shared();
    }

    /**
     * A required call. llama.cpp's grammar for it (pinned) allows free text without "{" before the
     * call; random weights could wander there until the token limit, so a logit bias on "{" makes
     * the model start the call at once. Everything after that is the grammar's doing.
     */
    private static TurnOptions required(int seed) {
        int[] brace = model.tokenizer().tokenize("{", false, false);
        assertEquals(1, brace.length);
        return TurnOptions.withTools(WEATHER).toolChoice(TurnOptions.ToolChoice.REQUIRED)
                .generate(GenerateOptions.defaults().maxTokens(300)
                        .sampling(Sampling.seeded(seed).logitBias(java.util.Map.of(brace[0], 25f))));
    }

    private static void assertValidCall(ToolCall call) throws Exception {
        assertEquals("get_weather", call.name());
        JsonNode args = JSON.readTree(call.arguments());
        assertTrue(args.get("city").isTextual(), call.arguments());
        assertTrue(Set.of("celsius", "fahrenheit").contains(args.get("unit").asText()), call.arguments());
        assertFalse(call.id().isEmpty());
    }

    @Test
    void aRequiredToolCallArrivesParsedAndTheResultContinuesTheChatFromTheCache() throws Exception {
        try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(4096).system("Use tools."))) {
            Reply call = chat.send("Weather in Paris?", required(1));
            assertNull(call.parseNote(), call.parseNote());
            assertEquals(1, call.toolCalls().size(), call.toString());
            assertValidCall(call.toolCalls().get(0));
            assertTrue(call.text().isBlank(), call.text());

            Message assistant = chat.history().get(chat.history().size() - 1);
            assertEquals(call.toolCalls(), assistant.toolCalls());

            Reply answer = chat.send(Message.toolResult(call.toolCalls().get(0), "{\"temperature\": 21}"),
                    TurnOptions.withTools(WEATHER).toolChoice(TurnOptions.ToolChoice.NONE)
                            .generate(GenerateOptions.defaults().maxTokens(8).sampling(Sampling.seeded(2))));
            assertTrue(answer.cachedPromptTokens() > 100, "cached " + answer.cachedPromptTokens());
            assertTrue(answer.toolCalls().isEmpty());
            assertEquals(List.of("system", "user", "assistant", "tool", "assistant"),
                    chat.history().stream().map(Message::role).toList());
        }
    }

    @Test
    void everySeedGivesAValidCall() throws Exception {
        for (int seed = 1; seed <= 10; seed++) {
            try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(4096))) {
                Reply reply = chat.send("What is the weather?", required(seed));
                assertFalse(reply.toolCalls().isEmpty(), "seed " + seed + ": " + reply);
                for (ToolCall call : reply.toolCalls()) {
                    assertValidCall(call);
                }
            }
        }
    }

    @Test
    void automaticChoiceGivesContentOrValidCalls() throws Exception {
        for (int seed = 1; seed <= 5; seed++) {
            try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(4096))) {
                Reply reply = chat.send("Hello", TurnOptions.withTools(WEATHER)
                        .generate(GenerateOptions.defaults().maxTokens(64).sampling(Sampling.seeded(seed))));
                for (ToolCall call : reply.toolCalls()) {
                    assertValidCall(call);
                }
                if (reply.parseNote() != null) {
                    assertTrue(reply.toolCalls().isEmpty());
                }
            }
        }
    }

    @Test
    void streamingHandsOnContentOnlyAndTheCallArrivesWhole() throws Exception {
        try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(4096))) {
            String streamed;
            try (Stream<String> pieces = chat.stream("Weather in Oslo?", required(4))) {
                streamed = pieces.collect(Collectors.joining());
            }
            Reply reply = chat.lastReply();
            assertEquals(reply.text(), streamed);
            assertEquals(1, reply.toolCalls().size(), reply.toString());
            assertValidCall(reply.toolCalls().get(0));
            assertFalse(streamed.contains("get_weather"), streamed);
        }
    }

    @Test
    void sendStreamsTheSameContentItReturns() {
        try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(4096))) {
            StringBuilder pieces = new StringBuilder();
            Reply reply = chat.send(Message.user("Hi"), TurnOptions.withTools(WEATHER)
                    .generate(GenerateOptions.defaults().maxTokens(24).sampling(Sampling.seeded(9))), pieces::append);
            if (reply.parseNote() == null) {
                assertEquals(reply.text(), pieces.toString());
            }
        }
    }

    @Test
    void toolsCannotBeCombinedWithAFormatOrASamplingGrammar() {
        assertThrows(IllegalArgumentException.class, () -> TurnOptions.withTools(WEATHER).format(Format.json()));
        try (ChatSession chat = model.newChat(ChatOptions.defaults().contextSize(4096))) {
            TurnOptions turn = required(1).generate(GenerateOptions.defaults().sampling(Sampling.greedy().grammar("root ::= \"x\"")));
            assertThrows(IllegalArgumentException.class, () -> chat.send("x", turn));
            assertTrue(chat.history().isEmpty());
        }
    }
}
