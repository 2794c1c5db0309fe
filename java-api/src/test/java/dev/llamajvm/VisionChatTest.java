package dev.llamajvm;

import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.TinyVision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chats with images on the tiny random-weight Llama 3 and its random LLaVA-style projector (every
 * image becomes 16 tokens): image turns, cache reuse across turns, several images, streaming.
 */
class VisionChatTest {

    private static LlamaModel model;
    private static Projector projector;
    private static int imageTokens;

    @BeforeAll
    static void load() {
        model = TinyLlama3.shared();
        projector = TinyVision.shared();
        imageTokens = projector.tokenCount(picture(1));
    }

    /** A colourful 40x30 picture; {@code seed} changes it. */
    static Image picture(int seed) {
        return picture(seed, 40, 30);
    }

    /** A colourful picture of the given size; {@code seed} changes it. */
    static Image picture(int seed, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ((x * 6 * seed) & 0xFF) << 16 | ((y * 8 + seed * 40) & 0xFF) << 8 | ((x + y) * 3) & 0xFF);
            }
        }
        return Image.of(image);
    }

    private static ChatSession newChat() {
        return newChat(projector);
    }

    private static ChatSession newChat(Projector projector) {
        return model.newChat(ChatOptions.defaults().projector(projector)
                .session(SessionOptions.defaults().contextSize(512).threads(2))
                .generate(GenerateOptions.defaults().maxTokens(8)));
    }

    @Test
    void theProjectorSaysWhatItTakes() {
        assertTrue(projector.supportsVision());
        assertFalse(projector.supportsAudio());
        assertEquals(-1, projector.audioSampleRate());
        assertEquals("<__media__>", projector.marker());
        assertEquals(16, imageTokens, "a 56-pixel image in 14-pixel patches");
    }

    @Test
    void aProjectorClosedWhileTheReplyIsGeneratedLetsTheReplyFinish() {
        Projector own = model.loadProjector(TinyVision.path(), TinyVision.options());
        try (ChatSession chat = newChat(own)) {
            // The projector is needed for the prompt only: closing it from the reply's callback neither deadlocks nor fails the reply.
            Reply reply = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> chat.send(
                    Message.user("What is in the picture?", picture(1)), TurnOptions.defaults().generate(
                            GenerateOptions.defaults().maxTokens(8)), piece -> own.close()));
            assertEquals(8, reply.generatedTokens());
            assertThrows(IllegalStateException.class, own::supportsVision);
            // Later turns render the image again and need the projector: a clear error, the history intact.
            assertThrows(IllegalStateException.class, () -> chat.send("Go on."));
            assertEquals(2, chat.history().size());
        }
    }

    @Test
    void anImageTurnThenATextTurnReusesTheImageFromTheCache() {
        try (ChatSession chat = newChat()) {
            Reply first = chat.send(Message.user("What is in the picture?", picture(1)));
            assertEquals(8, first.generatedTokens());
            assertTrue(first.promptTokens() > imageTokens, "the image's positions are part of the prompt");

            Reply second = chat.send("And what colour is it?");
            // All of turn one's prompt, image included, comes from the cache: the image is not encoded again.
            assertTrue(second.cachedPromptTokens() >= first.promptTokens(),
                    "cached " + second.cachedPromptTokens() + " of turn one's " + first.promptTokens());
            assertTrue(second.promptTokens() < first.promptTokens());
            List<Message> history = chat.history();
            assertEquals(List.of("user", "assistant", "user", "assistant"), history.stream().map(Message::role).toList());
            assertEquals(1, history.get(0).media().size(), "the history keeps the image");
        }
    }

    @Test
    void theImageChangesTheReplyAndTheSameImageGivesTheSameReply() {
        List<Integer> one = replyTo(picture(1));
        assertEquals(one, replyTo(picture(1)), "greedy and the same picture: the same tokens");
        assertNotEquals(one, replyTo(picture(3)), "another picture, another reply");
    }

    private static List<Integer> replyTo(Image image) {
        try (ChatSession chat = newChat()) {
            return chat.send(Message.user("Describe it.", image)).tokens();
        }
    }

    @Test
    void twoImagesInOneMessageEachTakeTheirTokens() {
        try (ChatSession one = newChat(); ChatSession two = newChat(); ChatSession placed = newChat()) {
            Reply single = one.send(Message.user("Compare them.", picture(1)));
            Reply pair = two.send(Message.user("Compare them.", picture(1), picture(2)));
            assertEquals(single.promptTokens() + imageTokens, pair.promptTokens());
            assertEquals(8, pair.generatedTokens());

            // Markers placed in the text put the images there instead of in front.
            String marker = projector.marker();
            Reply between = placed.send(Message.user("First " + marker + " then " + marker + ": which is brighter?",
                    picture(1), picture(2)));
            assertTrue(between.promptTokens() > pair.promptTokens(), "more text around the same two images");
        }
    }

    @Test
    void aStreamedImageReplyEqualsTheSentOne() {
        Reply sent;
        try (ChatSession chat = newChat()) {
            sent = chat.send(Message.user("What is it?", picture(2)));
        }
        try (ChatSession chat = newChat()) {
            String streamed;
            try (Stream<String> pieces = chat.stream(Message.user("What is it?", picture(2)))) {
                streamed = pieces.collect(Collectors.joining());
            }
            assertEquals(sent.text(), streamed);
            assertEquals(sent.tokens(), chat.lastReply().tokens());
            assertEquals(2, chat.history().size());
        }
    }

    @Test
    void chatsOnSeveralThreadsShareOneProjector() throws Exception {
        List<Integer> alone = replyTo(picture(4));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var replies = pool.invokeAll(java.util.Collections.nCopies(3,
                    (java.util.concurrent.Callable<List<Integer>>) () -> replyTo(picture(4))));
            for (var reply : replies) {
                assertEquals(alone, reply.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aSavedStateKeepsTheImageForTheNextTurn() throws Exception {
        java.nio.file.Path state = java.nio.file.Files.createTempFile("vision-state", ".bin");
        try (ChatSession chat = newChat()) {
            Reply first = chat.send(Message.user("What is in the picture?", picture(1)));
            chat.session().saveState(state);
            chat.session().reset();
            chat.session().loadState(state);
            Reply second = chat.send("Tell me more.");
            assertTrue(second.cachedPromptTokens() >= first.promptTokens());
        } finally {
            java.nio.file.Files.deleteIfExists(state);
        }
    }
}
