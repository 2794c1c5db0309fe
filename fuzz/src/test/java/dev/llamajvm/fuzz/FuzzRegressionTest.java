package dev.llamajvm.fuzz;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.llamajvm.fuzz.FuzzTarget.IMAGE_DECODING;
import static dev.llamajvm.fuzz.FuzzTarget.MODEL_LOADING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs that crashed a fuzz target (and a control or two), replayed through the target in a child
 * JVM: the child must end normally, having refused the input with the named Java exception. The
 * inputs are resources under {@code regressions/<target>/}, model files as {@link SeedDelta}s.
 *
 * <p>A case whose fix is someone else's is {@code @Disabled} with the reason until it lands; run
 * them anyway with {@code -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition}.
 */
class FuzzRegressionTest {

    @BeforeAll
    static void environment() {
        FuzzEnvironment.assumeAvailable();
    }

    @Test
    void theReplayHarnessRunsAGoodModel() {
        assertAccepted(Replay.of(MODEL_LOADING, "stories260K.delta"));
    }

    @Test
    void modelWithItsTensorDataCutOffIsAModelLoadException() {
        assertRefused(Replay.of(MODEL_LOADING, "truncated-tensor-data.delta"), "dev.llamajvm.ModelLoadException");
    }

    /** The repro (stories260K) and the two variants fuzzing found in llama.cpp's vocab files. */
    @ParameterizedTest
    @ValueSource(strings = {"duplicate-token-text-stories.delta", "duplicate-token-text-spm.delta",
                            "duplicate-token-text-wpm.delta"})
    @Disabled("issue 12, fixed in java-api by another engineer: llama-vocab.cpp GGML_ASSERT(id_to_token.size()"
            + " == token_to_id.size()) aborts the JVM")
    void duplicateTokenTextIsAModelLoadException(String delta) {
        assertRefused(Replay.of(MODEL_LOADING, delta), "dev.llamajvm.ModelLoadException");
    }

    @Test
    @Disabled("issue 12, fixed in java-api by another engineer: llama-model.cpp GGML_ASSERT(hparams.n_layer_all > 0"
            + " && ...) aborts the JVM")
    void blockCountZeroIsAModelLoadException() {
        assertRefused(Replay.of(MODEL_LOADING, "block-count-zero.delta"), "dev.llamajvm.ModelLoadException");
    }

    @Test
    @Disabled("issue 12, fixed in java-api by another engineer: llama-model.cpp GGML_ASSERT(... n_layer_all <="
            + " LLAMA_MAX_LAYERS) aborts the JVM")
    void blockCountOfTwoToThe31IsAModelLoadException() {
        assertRefused(Replay.of(MODEL_LOADING, "block-count-2pow31.delta"), "dev.llamajvm.ModelLoadException");
    }

    @Test
    @Disabled("found by fuzzing (issue 12), for java-api: ImageHeader gives up at the junk byte between JPEG"
            + " segments that stb_image skips, so maxImagePixels is checked only after the decoder allocated"
            + " 33285x16992 pixels (over 4 GB)")
    void jpegOverThePixelLimitIsRefusedBeforeDecoding() {
        assertRefused(Replay.of(IMAGE_DECODING, "jpeg-junk-before-frame-33285x16992.jpg"),
                "dev.llamajvm.InvalidMediaException");
    }

    private static void assertAccepted(Replay replay) {
        assertEquals(0, replay.exitCode(), replay::describe);
        assertTrue(replay.outcomes().stream().anyMatch(o -> o.startsWith("[fuzz] accepted: ")), replay::describe);
    }

    private static void assertRefused(Replay replay, String exception) {
        assertEquals(0, replay.exitCode(), replay::describe);
        assertTrue(replay.outcomes().stream().anyMatch(o -> o.startsWith("[fuzz] refused: " + exception + ":")),
                () -> "expected a " + exception + "; " + replay.describe());
    }
}
