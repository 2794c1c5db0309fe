package dev.llamajvm;

import dev.llamajvm.testing.Stories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chat sessions on stories260K, which has no chat template of its own, so llama.cpp formats with
 * ChatML: history, KV-cache reuse across turns, streaming, failure leaving history intact.
 */
class ChatSessionTest {

    private static LlamaModel model;

    @BeforeAll
    static void load() {
        model = Stories.model();
    }


    private static ChatSession newChat() {
        return model.newChat(ChatOptions.defaults().session(SessionOptions.defaults().contextSize(512).threads(2))
                .system("You tell short stories.").generate(GenerateOptions.defaults().maxTokens(12)));
    }

    @Test
    void turnsBuildTheHistoryAndReuseTheCache() {
        try (ChatSession chat = newChat()) {
            Reply first = chat.send("Tell me about a cat.");
            assertEquals(12, first.generatedTokens());
            Reply second = chat.send("And a dog?");
            List<Message> history = chat.history();
            assertEquals(List.of("system", "user", "assistant", "user", "assistant"),
                    history.stream().map(Message::role).toList());
            assertEquals(first.text(), history.get(2).content());
            assertEquals(second.text(), history.get(4).content());
            // Turn two evaluates only what follows the cached conversation, not the history again:
            // all of turn one's prompt comes from the cache.
            assertEquals(0, first.cachedPromptTokens());
            assertTrue(second.cachedPromptTokens() >= first.promptTokens(),
                    "cached " + second.cachedPromptTokens() + " of turn one's " + first.promptTokens());
        }
    }

    @Test
    void aStreamedTurnJoinsTheHistoryWhenReadToTheEnd() {
        try (ChatSession chat = newChat()) {
            String streamed;
            try (Stream<String> pieces = chat.stream("Tell me about a bird.")) {
                streamed = pieces.collect(Collectors.joining());
            }
            assertEquals(3, chat.history().size());
            assertEquals(streamed, chat.history().get(2).content());
        }
    }

    @Test
    void aFailedTurnLeavesTheHistoryAsItWas() {
        try (ChatSession chat = newChat()) {
            chat.send("Hello");
            List<Message> before = chat.history();
            assertThrows(IllegalStateException.class, () -> chat.send(Message.user("Hi"), GenerateOptions.defaults(),
                    piece -> { throw new IllegalStateException("listener failed"); }));
            assertEquals(before, chat.history());
            try (Stream<String> abandoned = chat.stream("Go on")) {
                abandoned.findFirst();
            }
            assertEquals(before, chat.history(), "a stream closed early takes its message back");
        }
    }

    @Test
    void anAbandonedStreamLeavesNoUnansweredMessage() {
        try (ChatSession chat = newChat()) {
            chat.stream("First question").findFirst(); // neither read to the end nor closed
            chat.send("Second question");
            assertEquals(List.of("system", "user", "assistant"), chat.history().stream().map(Message::role).toList());
            assertEquals("Second question", chat.history().get(1).content());
        }
    }

    @Test
    void closingAnAbandonedStreamKeepsTheNewerStreamsMessage() {
        try (ChatSession chat = newChat()) {
            Stream<String> first = chat.stream("First question");
            first.findFirst();
            Stream<String> second = chat.stream("Second question"); // abandons the first
            first.close(); // late: it must take back nothing of the second
            String answer;
            try (second) {
                answer = second.collect(Collectors.joining());
            }
            assertEquals(List.of("system", "user", "assistant"), chat.history().stream().map(Message::role).toList());
            assertEquals("Second question", chat.history().get(1).content());
            assertEquals(answer, chat.history().get(2).content());
        }
    }

    @Test
    void aSendFromInsideItsOwnCallbackIsRefusedAndTheReplyCompletes() {
        try (ChatSession chat = newChat()) {
            List<RuntimeException> refusals = new ArrayList<>();
            List<Integer> historySizes = new ArrayList<>();
            StringBuilder streamed = new StringBuilder();
            Reply reply = chat.send(Message.user("Tell me about a cat."), GenerateOptions.defaults().maxTokens(12), piece -> {
                streamed.append(piece);
                historySizes.add(chat.history().size()); // reading its own chat from a callback is fine
                try {
                    chat.send("Interrupting question");
                } catch (RuntimeException e) {
                    refusals.add(e);
                }
            });
            assertTrue(!refusals.isEmpty() && refusals.stream().allMatch(e -> e instanceof IllegalStateException),
                    "refusals: " + refusals);
            assertTrue(historySizes.stream().allMatch(size -> size == 2), "sizes seen: " + historySizes);
            assertEquals(12, reply.generatedTokens());
            assertEquals(reply.text(), streamed.toString());
            assertEquals(List.of("system", "user", "assistant"), chat.history().stream().map(Message::role).toList());
            assertEquals(reply.text(), chat.history().get(2).content());
            // The cache holds exactly the conversation: the next turn reuses all of it.
            Reply next = chat.send("And a dog?");
            assertTrue(next.cachedPromptTokens() >= reply.promptTokens(), "cached " + next.cachedPromptTokens());
        }
    }

    @Test
    void anUncaughtRefusalFailsTheTurnAndLeavesTheHistoryAsItWas() {
        try (ChatSession chat = newChat()) {
            chat.send("Hello");
            List<Message> before = chat.history();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> chat.send(Message.user("Hi"),
                    GenerateOptions.defaults().maxTokens(12), piece -> chat.send("Nested")));
            assertTrue(e.getMessage().contains("callback"), e.getMessage());
            assertEquals(before, chat.history());
            chat.send("Go on"); // the chat stays usable
            assertEquals(before.size() + 2, chat.history().size());
        }
    }

    @Test
    void aStreamConsumerSendingIntoItsChatAbandonsTheStreamAndKeepsTheHistoryWhole() {
        try (ChatSession chat = newChat()) {
            List<String> sent = new ArrayList<>();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (Stream<String> pieces = chat.stream("First question")) {
                    pieces.forEach(piece -> sent.add(chat.send("Second question").text()));
                }
            });
            assertTrue(e.getMessage().contains("abandoned"), e.getMessage());
            assertEquals(1, sent.size());
            assertEquals(List.of("system", "user", "assistant"), chat.history().stream().map(Message::role).toList());
            assertEquals("Second question", chat.history().get(1).content());
            assertEquals(sent.get(0), chat.history().get(2).content());
        }
    }

    @Test
    void closingTheModelClosesChats() {
        try (LlamaModel own = LlamaModel.load(Stories.path())) {
            ChatSession chat = own.newChat(ChatOptions.defaults().contextSize(128));
            own.close();
            assertThrows(IllegalStateException.class, () -> chat.send("Hi"));
            chat.close();
        }
    }
}
