package dev.llamajvm;

import dev.llamajvm.testing.NativeGrowth;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.TinyVision;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native memory stays flat over many image turns (decode, encode, evaluate, free) and many
 * projector loads, including turns that fail on a corrupt image.
 */
class VisionLoadTest {

    @Test
    @Tag("leak")
    void imageTurnsAndProjectorLoadsKeepTheResidentSizeFlat() throws IOException {
        Assumptions.assumeTrue(NativeGrowth.measurable(), "needs Linux's /proc and malloc_trim (Java 22+)");
        LlamaModel model = TinyLlama3.shared();
        byte[] corrupt = new byte[2048];
        new java.util.Random(5).nextBytes(corrupt);
        NativeGrowth.Result result = NativeGrowth.of(20, 200, () -> {
            try (Projector projector = model.loadProjector(TinyVision.path(), TinyVision.options());
                 ChatSession chat = model.newChat(ChatOptions.defaults().projector(projector)
                         .session(SessionOptions.defaults().contextSize(256).threads(2))
                         .generate(GenerateOptions.defaults().maxTokens(2)))) {
                assertThrows(InvalidMediaException.class, () -> chat.send(Message.user("?", Image.of(corrupt))));
                assertEquals(2, chat.send(Message.user("What is it?", VisionChatTest.picture(1), VisionChatTest.picture(2)))
                        .generatedTokens());
                assertEquals(2, chat.send("And?").generatedTokens());
            }
        });
        System.out.println("[leak] 200 projector loads, each with a failed and two good image turns, after a warm-up of 20: "
                + result);
        assertTrue(result.nativeGrowthMb() < 30, "resident size grew: " + result);
    }
}
