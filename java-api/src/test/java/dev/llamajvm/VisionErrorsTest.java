package dev.llamajvm;

import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.TinyVision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad media and bad projectors: each a clear exception, after which the chat is as it was and
 * still answers, with and without images.
 */
class VisionErrorsTest {

    private static LlamaModel model;
    private static Projector projector;

    @BeforeAll
    static void load() {
        model = TinyLlama3.shared();
        projector = TinyVision.shared();
    }

    private static ChatSession newChat(Projector p) {
        return model.newChat(ChatOptions.defaults().projector(p)
                .session(SessionOptions.defaults().contextSize(512).threads(2))
                .generate(GenerateOptions.defaults().maxTokens(4)));
    }

    /** Runs a failing send, then checks the chat lost nothing and still answers text and images. */
    private static <E extends Throwable> E failsAndRecovers(ChatSession chat, Class<E> type, Message bad) {
        List<Message> before = chat.history();
        E e = assertThrows(type, () -> chat.send(bad));
        assertEquals(before, chat.history(), "the failed message is not kept");
        assertEquals(4, chat.send("Still there?").generatedTokens());
        assertEquals(4, chat.send(Message.user("And this?", VisionChatTest.picture(1))).generatedTokens());
        return e;
    }

    @Test
    void anImageForAChatWithoutProjectorIsRefused() {
        try (ChatSession chat = newChat(null)) {
            InvalidMediaException e = assertThrows(InvalidMediaException.class,
                    () -> chat.send(Message.user("What is it?", VisionChatTest.picture(1))));
            assertTrue(e.getMessage().contains("no projector"), e.getMessage());
            assertTrue(chat.history().isEmpty());
            assertEquals(4, chat.send("Hello?").generatedTokens());
        }
    }

    @Test
    void emptyCorruptAndTruncatedImagesAreRefused() throws Exception {
        byte[] png = Files.readAllBytes(VisionParityTest.pngOf(VisionChatTest.picture(1)));
        try (ChatSession chat = newChat(projector)) {
            chat.send(Message.user("First look at this.", VisionChatTest.picture(2)));
            InvalidMediaException empty = failsAndRecovers(chat, InvalidMediaException.class,
                    Message.user("What is it?", Image.of(new byte[0])));
            assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
            byte[] noise = new byte[4096];
            new java.util.Random(1).nextBytes(noise);
            InvalidMediaException corrupt = failsAndRecovers(chat, InvalidMediaException.class,
                    Message.user("What is it?", Image.of(noise)));
            assertTrue(corrupt.getMessage().contains("could not decode"), corrupt.getMessage());
            failsAndRecovers(chat, InvalidMediaException.class,
                    Message.user("What is it?", Image.of(Arrays.copyOf(png, png.length / 2))));
        }
    }

    @Test
    void imagesBeyondTheLimitsAreRefusedBeforeDecoding() throws Exception {
        try (Projector strict = model.loadProjector(TinyVision.path(), TinyVision.options().maxImagePixels(1000).maxMediaBytes(5000));
             ChatSession chat = newChat(strict)) {
            InvalidMediaException pixels = assertThrows(InvalidMediaException.class,
                    () -> chat.send(Message.user("What is it?", VisionChatTest.picture(1)))); // 40x30
            assertTrue(pixels.getMessage().contains("maxImagePixels"), pixels.getMessage());
            // A PNG whose header claims 100000 x 100000 pixels is refused from the header alone.
            byte[] bomb = Files.readAllBytes(VisionParityTest.pngOf(VisionChatTest.picture(1)));
            java.nio.ByteBuffer.wrap(bomb, 16, 8).putInt(100_000).putInt(100_000);
            assertTrue(assertThrows(InvalidMediaException.class, () -> strict.decode(Image.of(bomb)))
                    .getMessage().contains("100000x100000"));
            InvalidMediaException bytes = assertThrows(InvalidMediaException.class,
                    () -> chat.send(Message.user("What is it?", Image.of(new byte[6000]))));
            assertTrue(bytes.getMessage().contains("maxMediaBytes"), bytes.getMessage());
            assertTrue(chat.history().isEmpty());
            assertEquals(4, chat.send(Message.user("A small one.", Image.ofRgb(20, 10, new byte[600]))).generatedTokens());
        }
    }

    @Test
    void anImagePromptLongerThanTheContextIsRefused() {
        try (ChatSession small = model.newChat(ChatOptions.defaults().projector(projector)
                .session(SessionOptions.defaults().contextSize(48).threads(2))
                .generate(GenerateOptions.defaults().maxTokens(4)))) {
            // llama.cpp rounds the context up to 256 cells: twenty 16-token images overflow it.
            Media[] many = java.util.stream.IntStream.range(0, 20).mapToObj(VisionChatTest::picture).toArray(Media[]::new);
            assertThrows(PromptTooLongException.class, () -> small.send(Message.user("Compare.", many)));
            assertTrue(small.history().isEmpty());
            assertEquals(4, small.send(Message.user("Just one.", VisionChatTest.picture(1))).generatedTokens());
        }
    }

    @Test
    void audioForAVisionOnlyProjectorIsRefused() {
        try (ChatSession chat = newChat(projector)) {
            InvalidMediaException e = failsAndRecovers(chat, InvalidMediaException.class,
                    Message.user("What do you hear?", Audio.ofPcm(new float[16000])));
            assertTrue(e.getMessage().contains("takes no audio"), e.getMessage());
        }
    }

    @Test
    void markersThatDoNotMatchTheMediaAreRefused() {
        String marker = projector.marker();
        try (ChatSession chat = newChat(projector)) {
            failsAndRecovers(chat, InvalidMediaException.class,
                    Message.user(marker + " and " + marker, VisionChatTest.picture(1)));
        }
    }

    @Test
    void aMarkerInAMessageWithoutMediaIsPlainText() {
        String marker = projector.marker();
        try (ChatSession chat = newChat(projector)) {
            chat.send(Message.user("Look.", VisionChatTest.picture(1)));
            assertEquals(4, chat.send("Quoting " + marker + " in text.").generatedTokens());
            assertEquals(4, chat.send(Message.user("And this?", VisionChatTest.picture(2))).generatedTokens());
            assertEquals("Quoting " + marker + " in text.", chat.history().get(2).content(), "history keeps the text");
        }
    }

    @Test
    void aProjectorForAnotherWidthIsRefusedWithLibmtmdsReason() {
        Path wide = TinyVision.projector(2 * model.info().embeddingSize());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> model.loadProjector(wide, TinyVision.options()));
        assertTrue(e.getMessage().contains("mismatch between text model"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAProjectorIsRefused(@TempDir Path dir) throws Exception {
        ModelLoadException lm = assertThrows(ModelLoadException.class,
                () -> model.loadProjector(TinyLlama3.path(TinyLlama3.SEED), TinyVision.options()));
        assertTrue(lm.getMessage().contains("not a multimodal projector"), lm.getMessage());
        assertThrows(ModelLoadException.class, () -> model.loadProjector(dir.resolve("missing.gguf")));
        Path junk = Files.write(dir.resolve("junk.gguf"), new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1});
        assertThrows(ModelLoadException.class, () -> model.loadProjector(junk));
        Path truncated = dir.resolve("truncated.gguf");
        byte[] whole = Files.readAllBytes(TinyVision.path());
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        assertThrows(ModelLoadException.class, () -> model.loadProjector(truncated, TinyVision.options()));
        ModelLoadException numbered = assertThrows(ModelLoadException.class,
                () -> model.loadProjector(Files.write(dir.resolve("numbered.gguf"), architectureAsNumber())));
        assertTrue(numbered.getMessage().contains("not a multimodal projector"), numbered.getMessage());
    }

    /** A valid GGUF (v3, no tensors) whose general.architecture is a uint32, not a string. */
    private static byte[] architectureAsNumber() {
        byte[] key = "general.architecture".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer gguf = java.nio.ByteBuffer.allocate(4 + 4 + 8 + 8 + 8 + key.length + 4 + 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        gguf.put(new byte[] {'G', 'G', 'U', 'F'}).putInt(3).putLong(0).putLong(1);
        gguf.putLong(key.length).put(key).putInt(4 /* GGUF_TYPE_UINT32 */).putInt(7);
        return gguf.array();
    }

    @Test
    void aClosedProjectorAndAForeignOneAreRefused() {
        Projector closed = model.loadProjector(TinyVision.path(), TinyVision.options());
        try (ChatSession chat = newChat(closed)) {
            closed.close();
            closed.close(); // idempotent
            assertThrows(IllegalStateException.class, closed::supportsVision);
            assertThrows(IllegalStateException.class,
                    () -> chat.send(Message.user("What is it?", VisionChatTest.picture(1))));
            assertTrue(chat.history().isEmpty());
            assertEquals(4, chat.send("Text still works.").generatedTokens());
        }
        try (LlamaModel other = LlamaModel.load(TinyLlama3.path(TinyLlama3.SEED + 1))) {
            assertThrows(IllegalArgumentException.class, () -> other.newChat(ChatOptions.defaults().projector(projector)));
        }
    }
}
