package dev.llamajvm;

import dev.llamajvm.testing.MtmdCli;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.TinyQwenVision;
import dev.llamajvm.testing.TinyVision;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Through the public chat API, the same model, projector, images, prompt and greedy sampling give
 * what llama.cpp's own llama-mtmd-cli built from the same source gives, for two projector families:
 * LLaVA-style "mlp" over the tiny Llama 3, and Qwen2-VL ("qwen2vl_merger") over a tiny Qwen2-VL
 * language model, whose images take fewer positions than tokens (M-RoPE).
 * llama-mtmd-cli prints its reply's token pieces rather than ids, so the bytes of our generated ids'
 * pieces are compared with its output, byte for byte: with random weights over Llama 3's 128K
 * vocabulary, any token that differed would show.
 */
class VisionParityTest {

    private static final int GENERATED = 24;
    private static final String PROMPT = "What is in the image?";

    @Test
    void oneImageGivesLlamaMtmdClisReply() throws Exception {
        Path png = pngOf(VisionChatTest.picture(1));
        assertSameReply(Pair.LLAVA, List.of(png));
    }

    @Test
    void twoImagesGiveLlamaMtmdClisReply() throws Exception {
        assertSameReply(Pair.LLAVA, List.of(pngOf(VisionChatTest.picture(2)), pngOf(VisionChatTest.picture(5))));
    }

    @Test
    void oneImageGivesLlamaMtmdClisReplyWithMrope() throws Exception {
        assertSameReply(Pair.QWEN2VL, List.of(pngOf(VisionChatTest.picture(1))));
    }

    @Test
    void twoImagesGiveLlamaMtmdClisReplyWithMrope() throws Exception {
        assertSameReply(Pair.QWEN2VL, List.of(pngOf(VisionChatTest.picture(2)), pngOf(VisionChatTest.picture(5))));
    }

    /** A text model and projector, as loaded objects and as the files llama-mtmd-cli gets. */
    private enum Pair {
        LLAVA, QWEN2VL;

        LlamaModel model() {
            return this == LLAVA ? TinyLlama3.shared() : TinyQwenVision.model();
        }

        Projector projector() {
            return this == LLAVA ? TinyVision.shared() : TinyQwenVision.projector();
        }

        Path modelFile() {
            return this == LLAVA ? TinyLlama3.path(TinyLlama3.SEED) : TinyQwenVision.modelPath();
        }

        Path projectorFile() {
            return this == LLAVA ? TinyVision.path() : TinyQwenVision.projectorPath();
        }
    }

    private static void assertSameReply(Pair pair, List<Path> images) throws Exception {
        LlamaModel model = pair.model();
        Reply ours;
        try (ChatSession chat = model.newChat(ChatOptions.defaults().projector(pair.projector())
                .session(SessionOptions.defaults().contextSize(512).threads(2))
                .generate(GenerateOptions.defaults().maxTokens(GENERATED)))) {
            ours = chat.send(Message.user(PROMPT, images.stream().map(Image::of).toArray(Media[]::new)));
        }
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        for (int token : ours.tokens()) {
            pieces.write(model.tokenizer().tokenBytes(token));
        }
        byte[] theirs = MtmdCli.reply(pair.modelFile(), pair.projectorFile(), images, PROMPT, GENERATED);
        // The tool ends its output with newlines of its own; a reply ending in newlines loses them
        // on both sides alike.
        String expected = withoutTrailingNewlines(pieces.toByteArray());
        assertEquals(expected, withoutTrailingNewlines(theirs));
        assertTrue(expected.length() > GENERATED / 2, "a reply of " + ours.generatedTokens() + " tokens: " + expected);
    }

    private static String withoutTrailingNewlines(byte[] utf8) {
        int end = utf8.length;
        while (end > 0 && utf8[end - 1] == '\n') {
            end--;
        }
        return new String(utf8, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1); // byte for byte
    }

    static Path pngOf(Image image) throws Exception {
        java.awt.image.BufferedImage buffered = new java.awt.image.BufferedImage(image.width(), image.height(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        byte[] rgb = image.rgb();
        for (int i = 0; i < image.width() * image.height(); i++) {
            buffered.setRGB(i % image.width(), i / image.width(),
                    (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | (rgb[3 * i + 2] & 0xFF));
        }
        Path file = Files.createTempFile("vision-parity", ".png");
        ImageIO.write(buffered, "png", file.toFile());
        return file;
    }
}
