package dev.llamajvm;

import dev.llamajvm.testing.MtmdCli;
import dev.llamajvm.testing.TinyLlama3;
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
 * Through the public chat API, the same model, projector (random LLaVA-style "mlp"), images, prompt
 * and greedy sampling give what llama.cpp's own llama-mtmd-cli built from the same source gives.
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
        assertSameReply(List.of(png));
    }

    @Test
    void twoImagesGiveLlamaMtmdClisReply() throws Exception {
        assertSameReply(List.of(pngOf(VisionChatTest.picture(2)), pngOf(VisionChatTest.picture(5))));
    }

    private static void assertSameReply(List<Path> images) throws Exception {
        LlamaModel model = TinyLlama3.shared();
        Reply ours;
        try (ChatSession chat = model.newChat(ChatOptions.defaults().projector(TinyVision.shared())
                .session(SessionOptions.defaults().contextSize(512).threads(2))
                .generate(GenerateOptions.defaults().maxTokens(GENERATED)))) {
            ours = chat.send(Message.user(PROMPT, images.stream().map(Image::of).toArray(Media[]::new)));
        }
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        for (int token : ours.tokens()) {
            pieces.write(model.tokenizer().tokenBytes(token));
        }
        byte[] theirs = MtmdCli.reply(TinyLlama3.path(TinyLlama3.SEED), TinyVision.path(), images, PROMPT, GENERATED);
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
