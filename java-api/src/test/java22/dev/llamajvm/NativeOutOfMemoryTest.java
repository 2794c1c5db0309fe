package dev.llamajvm;

import dev.llamajvm.testing.ChildJvm;
import dev.llamajvm.testing.HollowModel;
import dev.llamajvm.testing.OneBAttention;
import dev.llamajvm.testing.TestEnvironment;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.models.RandomLlama;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sizes llama.cpp cannot allocate are exceptions that say so, never the end of the JVM. Each case
 * runs in a child JVM ({@link OutOfMemoryProbe}) whose address space is limited, so the allocation
 * fails on any machine whatever its overcommit policy (it never reaches the OOM killer), and a
 * regression aborts the child, not this run.
 */
// Child JVMs under an address-space limit: AddressSanitizer's shadow memory cannot be mapped there,
// so ./sanitize.sh leaves these out.
@Tag("address-space")
class NativeOutOfMemoryTest {

    /** Room for the child JVM, the natives and a mapped model; far below what the cases ask for. */
    private static final long ADDRESS_SPACE = 8L << 30;

    private static Path oneBAttention;

    @BeforeAll
    static void model() {
        oneBAttention = OneBAttention.path();
    }

    /**
     * 2^24 tokens (the most llama-jvm asks for) need a 512 GiB KV cache (16 x 2^24 x 1024 x 2
     * bytes); a 16K batch needs 8 GiB of compute buffers (the logits of 16K tokens over 128K words
     * alone are 8 GiB).
     */
    @ParameterizedTest
    @CsvSource({
            "16777216, 512,   512",
            "16384,    16384, 16384",
    })
    void contextThatCannotBeAllocatedIsAnException(int context, int batch, int ubatch) throws Exception {
        ChildJvm.Result result = probe("session", oneBAttention.toString(), String.valueOf(context),
                String.valueOf(batch), String.valueOf(ubatch));
        assertTrue(result.output().contains("RESULT " + LlamaException.class.getName() + "\nnot enough memory for a context of "
                + context + " tokens"), result.output());
        assertTrue(result.output().contains("AFTER ok"), "the model must stay usable:\n" + result.output());
    }

    @Test
    void kvCacheOf2To24TokensNamesItsSize() throws Exception {
        ChildJvm.Result result = probe("session", oneBAttention.toString(), String.valueOf(1 << 24), "512", "512");
        assertTrue(result.output().contains("allocating 512.0 GiB (549755813888 bytes) failed"), result.output());
        assertTrue(result.output().contains("failed to allocate buffer for kv cache"), "llama.cpp's reason:\n" + result.output());
    }

    /**
     * Past {@link dev.llamajvm.internal.engine.ContextLimit#MAX_TOKENS}, llama.cpp never sees the
     * size: for the largest int it would zero-fill 96 GiB of cell bookkeeping before failing (with
     * this child's address space limited it ends in std::bad_alloc; on a machine that grants it,
     * in the OOM killer). The estimate's dry run, which fills the same bookkeeping, is refused too.
     */
    @Test
    void contextPastTheLimitIsRefusedBeforeLlamaCppSeesIt() throws Exception {
        String max = String.valueOf(Integer.MAX_VALUE);
        ChildJvm.Result session = probe("session", oneBAttention.toString(), max, max, max);
        assertTrue(session.output().contains("RESULT " + LlamaException.class.getName() + "\na context of " + max
                + " tokens is more than llama-jvm asks llama.cpp for (16777216)"), session.output());
        assertFalse(session.output().contains("llama.cpp said"), "llama.cpp must not have been called:\n" + session.output());
        assertTrue(session.output().contains("AFTER ok"), session.output());
        ChildJvm.Result estimate = probe("estimate", oneBAttention.toString(), max);
        assertTrue(estimate.output().contains("RESULT " + LlamaException.class.getName() + "\na context of " + max
                + " tokens is more than"), estimate.output());
    }

    /** contextSize 0 takes the model's trained length, which a file can claim to be anything. */
    @Test
    void trainedLengthPastTheLimitIsRefused() throws Exception {
        var shape = RandomLlama.Shape.tiny();
        var claimsTwoTo30 = new RandomLlama.Shape(shape.layers(), shape.embedding(), shape.heads(), shape.kvHeads(),
                shape.feedForward(), 1 << 30, shape.ropeFreqBase(), shape.rmsEpsilon(), shape.tiedOutput(),
                shape.weightType(), shape.stddev());
        Path model = RandomLlama.llama3(claimsTwoTo30, 1, TestEnvironment.llamaSource(), TinyLlama3.cacheDir());
        ChildJvm.Result result = probe("session", model.toString(), "0", "512", "512");
        assertTrue(result.output().contains("RESULT " + LlamaException.class.getName() + "\na context of 1073741824 tokens "
                + "(the model's trained length, asked for with contextSize 0) is more than"), result.output());
    }

    /** A model whose weights (192 GiB, read into memory with mmap off) cannot be allocated. */
    @Test
    void modelLargerThanMemoryIsAModelLoadException(@TempDir Path dir) throws Exception {
        Path hollow = dir.resolve("hollow.gguf");
        long claimed = HollowModel.widenFeedForward(oneBAttention, 1L << 22, hollow);
        assertTrue(claimed > 128L << 30, "the hollow model claims " + claimed + " bytes");
        ChildJvm.Result result = probe("load", hollow.toString());
        assertTrue(result.output().contains("RESULT " + ModelLoadException.class.getName() + "\nnot enough memory to load "),
                result.output());
        assertTrue(result.output().contains("with mmap off"), result.output());
    }

    private static ChildJvm.Result probe(String... args) throws Exception {
        ChildJvm.Result result = ChildJvm.run(OutOfMemoryProbe.class, ADDRESS_SPACE, Duration.ofMinutes(3), args);
        assertFalse(result.crashed(), "the child JVM died (exit " + result.exitCode() + "):\n" + result.output());
        assertEquals(0, result.exitCode(), result.output());
        return result;
    }
}
