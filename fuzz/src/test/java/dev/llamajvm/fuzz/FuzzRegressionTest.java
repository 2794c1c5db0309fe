package dev.llamajvm.fuzz;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.llamajvm.fuzz.FuzzTarget.GRAMMAR;
import static dev.llamajvm.fuzz.FuzzTarget.IMAGE_DECODING;
import static dev.llamajvm.fuzz.FuzzTarget.MODEL_LOADING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs that crashed a fuzz target (and a control or two), replayed through the target in a child
 * JVM: the child must end normally, having refused the input with the named Java exception. The
 * inputs are resources under {@code regressions/<target>/}, model files as {@link SeedDelta}s.
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
    void duplicateTokenTextIsAModelLoadException(String delta) {
        assertRefused(Replay.of(MODEL_LOADING, delta), "dev.llamajvm.ModelLoadException");
    }

    @Test
    void blockCountZeroIsAModelLoadException() {
        assertRefused(Replay.of(MODEL_LOADING, "block-count-zero.delta"), "dev.llamajvm.ModelLoadException");
    }

    @Test
    void blockCountOfTwoToThe31IsAModelLoadException() {
        assertRefused(Replay.of(MODEL_LOADING, "block-count-2pow31.delta"), "dev.llamajvm.ModelLoadException");
    }

    @Test
    void jpegOverThePixelLimitIsRefusedBeforeDecoding() {
        assertRefused(Replay.of(IMAGE_DECODING, "jpeg-junk-before-frame-33285x16992.jpg"),
                "dev.llamajvm.InvalidMediaException");
    }

    /**
     * A Qwen2-VL model whose rope sections add up to more than a head (found by fuzzing in a CI
     * run): ggml asserted (sect_dims <= ne0) in the first decode.
     */
    @Test
    void ropeSectionsLargerThanAHeadAreAModelLoadException() {
        assertRefused(Replay.of(MODEL_LOADING, "rope-sections-past-head.delta"), "dev.llamajvm.ModelLoadException");
    }

    /** tokenizer.ggml.model set to "none": tokenizing asserted in llama.cpp. */
    @Test
    void modelWithoutATokenizerRefusesToTokenize() {
        assertRefused(Replay.of(MODEL_LOADING, "tokenizer-not-initialized.delta"), "dev.llamajvm.LlamaException");
    }

    /** A mutated header declared tensors far larger than the file: libmtmd allocated over 4 GB. */
    @Test
    void projectorClaimingHugeTensorsIsRefused() {
        assertRefused(Replay.of(FuzzTarget.PROJECTOR_LOADING, "allocates-over-4gb.delta"),
                "dev.llamajvm.ModelLoadException");
    }

    /** The same with an allocation that failed: libmtmd did not check it, and ggml aborted (GGML_ASSERT(buffer)). */
    @Test
    void projectorWhoseTensorsCannotBeAllocatedIsRefused() {
        assertRefused(Replay.of(FuzzTarget.PROJECTOR_LOADING, "ggml-assert-buffer.delta"),
                "dev.llamajvm.ModelLoadException");
    }

    /** {@code word{1,0}}: llama.cpp computed 0 - 1 unsigned and generated rules until memory ran out. */
    @Test
    void repetitionWhoseMostIsBelowItsLeastIsRefused() {
        assertRefused(Replay.of(GRAMMAR, "repetition-max-below-min.gbnf"), "dev.llamajvm.InvalidSamplingException");
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
