package dev.llamajvm;

import dev.llamajvm.testing.TinyQwenVision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chats with images on an M-RoPE model (the tiny random Qwen2-VL pair), where an image fills more
 * KV cells than it spans positions: the cache is reused across turns at the right positions, and
 * the context check counts cells. {@link VisionParityTest} holds its replies to llama-mtmd-cli's.
 */
class MropeVisionChatTest {

    private static final String QUESTION = "What is in the picture?";

    private static LlamaModel model;
    private static Projector projector;

    @BeforeAll
    static void load() {
        model = TinyQwenVision.model();
        projector = TinyQwenVision.projector();
    }

    private static ChatSession newChat(int contextSize) {
        return model.newChat(ChatOptions.defaults().projector(projector)
                .session(SessionOptions.defaults().contextSize(contextSize).threads(2))
                .generate(GenerateOptions.defaults().maxTokens(8)));
    }

    @Test
    void anImageSpansFewerPositionsThanTheCellsItFills() {
        Image image = VisionChatTest.picture(1, 280, 280); // 20x20 patches, merged 2x2: 100 embeddings
        int cells = projector.tokenCount(image);
        int withImage;
        int textOnly;
        try (ChatSession chat = newChat(512)) {
            withImage = chat.send(Message.user(QUESTION, image)).promptTokens();
        }
        try (ChatSession chat = newChat(512)) {
            textOnly = chat.send(QUESTION).promptTokens();
        }
        int positions = withImage - textOnly;
        assertTrue(cells >= 100, "cells " + cells);
        assertTrue(positions > 0 && positions < cells / 4, positions + " positions for " + cells + " cells");
    }

    @Test
    void aTextTurnAfterAnImageReusesTheCacheAndMatchesAFreshEvaluation() {
        Message look = Message.user(QUESTION, VisionChatTest.picture(3));
        Reply cachedSecond;
        try (ChatSession chat = newChat(512)) {
            Reply first = chat.send(look);
            cachedSecond = chat.send("And the colours?");
            assertTrue(cachedSecond.cachedPromptTokens() >= first.promptTokens(),
                    "cached " + cachedSecond.cachedPromptTokens() + " of turn one's " + first.promptTokens());
        }
        try (ChatSession chat = newChat(512)) {
            chat.send(look);
            chat.session().reset(); // turn two evaluates everything, image included, from position 0
            Reply freshSecond = chat.send("And the colours?");
            assertEquals(0, freshSecond.cachedPromptTokens());
            assertEquals(freshSecond.tokens(), cachedSecond.tokens());
        }
    }

    @Test
    void aReplyStopsWhereTheCellsRunOutNotThePositions() {
        try (ChatSession chat = newChat(512)) {
            Media[] two = IntStream.range(0, 2).mapToObj(i -> VisionChatTest.picture(i, 280, 280)).toArray(Media[]::new);
            Reply reply = chat.send(Message.user("Compare.", two), TurnOptions.defaults().generate(
                    GenerateOptions.defaults().maxTokens(400).ignoreEos(true)));
            assertEquals(Reply.StopReason.CONTEXT_FULL, reply.stopReason());
            // Counted in positions it would run on past the cells and fail in llama_decode (no KV room).
            assertTrue(reply.generatedTokens() > 0 && reply.generatedTokens() < 400, reply.generatedTokens() + " tokens");
        }
    }

    @Test
    void aPromptOverTheContextInCellsIsRefusedThoughItsPositionsFit() {
        try (ChatSession chat = newChat(256)) {
            Media[] six = IntStream.range(0, 6).mapToObj(i -> VisionChatTest.picture(i, 280, 280)).toArray(Media[]::new);
            // About 60 positions but 600 cells: llama_decode would run out of room part-way.
            assertThrows(PromptTooLongException.class, () -> chat.send(Message.user("Compare.", six)));
            assertTrue(chat.history().isEmpty());
            assertEquals(8, chat.send(Message.user(QUESTION, VisionChatTest.picture(1))).generatedTokens());
        }
    }
}
