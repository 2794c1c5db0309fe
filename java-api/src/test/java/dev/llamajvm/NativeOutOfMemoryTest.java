package dev.llamajvm;

import dev.llamajvm.testing.ChildJvm;
import dev.llamajvm.testing.HollowModel;
import dev.llamajvm.testing.TestEnvironment;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.models.RandomLlama;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sizes llama.cpp cannot allocate are exceptions, never the end of the JVM. Each case runs in a
 * child JVM whose address space is limited (so an allocation past it fails on any machine, whatever
 * its overcommit policy, and a regression aborts the child, not this run).
 */
class NativeOutOfMemoryTest {

    /** Room for the child JVM, the natives and a mapped model; far below what the cases ask for. */
    private static final long ADDRESS_SPACE = 8L << 30;

    private static Path oneBAttention;

    @BeforeAll
    static void model() {
        oneBAttention = oneBAttentionModel();
    }

    /**
     * Llama-3.2-1B's attention (16 layers, 8 KV heads of 64 wide), on which a KV cache cell takes
     * what it takes in the real model (32 KiB in F16); a narrow feed-forward keeps the file small.
     */
    static Path oneBAttentionModel() {
        var shape = new RandomLlama.Shape(16, 512, 8, 8, 64, 131072, 500000f, 1e-5f, true,
                RandomLlama.WeightType.F16, 0f);
        return RandomLlama.llama3(shape, 1, TestEnvironment.llamaSource(), TinyLlama3.cacheDir());
    }

    private static ChildJvm.Result probe(String... args) throws Exception {
        ChildJvm.Result result = ChildJvm.run(OutOfMemoryProbe.class, ADDRESS_SPACE, Duration.ofMinutes(3), args);
        System.out.println("---- " + String.join(" ", args) + " -> exit " + result.exitCode() + "\n" + result.output());
        assertFalse(result.crashed(), "the child JVM died (exit " + result.exitCode() + "):\n" + result.output());
        return result;
    }

    @Test
    void contextOf2To24Tokens() throws Exception {
        probe("session", oneBAttention.toString(), String.valueOf(1 << 24), "512", "512");
    }

    @Test
    void hugeBatch() throws Exception {
        probe("session", oneBAttention.toString(), "16384", "16384", "16384");
    }

    @Test
    void modelLargerThanMemory(@TempDir Path dir) throws Exception {
        Path hollow = dir.resolve("hollow.gguf");
        long claimed = HollowModel.widenFeedForward(oneBAttention, 1L << 22, hollow);
        System.out.println("hollow model claims " + claimed + " bytes");
        probe("load", hollow.toString());
    }
}
