package dev.llamajvm;

import dev.llamajvm.testing.ByteMutation;
import dev.llamajvm.testing.MutationSweep;
import dev.llamajvm.testing.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random byte mutations of stories260K's header (its key/values, tensor infos and the start of the
 * data), each loaded in a child JVM ({@link MutationSweep}): none may kill the JVM. A bounded sweep
 * runs here; {@code -Dllama.jvm.mutations=N} (and {@code .seed}, {@code .file} for another GGUF
 * file) runs a longer one, and
 * {@code -Dllama.jvm.mutations.check=false} the same without the model file check, to count what
 * llama.cpp alone aborts on. Mutations that crashed a sweep are kept below as regression cases.
 */
class ModelFileMutationTest {

    /** stories260K's key/values end at byte 11 340 and its tensor infos at 14 176, where the data starts. */
    private static final int HEADER_REGION = 16 * 1024;

    @TempDir
    Path dir;
    private static Path stories;
    private static byte[] storiesBytes;

    @BeforeAll
    static void read() throws IOException {
        stories = TestEnvironment.sharedModel("stories260K.gguf");
        storiesBytes = Files.readAllBytes(stories);
    }

    @Test
    void noHeaderMutationKillsTheJvm() throws Exception {
        int count = Integer.getInteger("llama.jvm.mutations", 500);
        long seed = Long.getLong("llama.jvm.mutations.seed", 20261203L);
        boolean check = Boolean.parseBoolean(System.getProperty("llama.jvm.mutations.check", "true"));
        Path file = Path.of(System.getProperty("llama.jvm.mutations.file", stories.toString()));
        long start = System.nanoTime();
        MutationSweep.Report report = MutationSweep.run(file, seed, count, HEADER_REGION, check, Duration.ofSeconds(60), dir);
        System.out.printf("mutation sweep of %s, seed %d, file check %s, %.1f s: %s%n", file.getFileName(), seed,
                check ? "on" : "off", (System.nanoTime() - start) / 1e9, report);
        assertEquals(List.of(), report.failures(), report.toString());
    }

    /** The sweep itself: a mutation llama.cpp aborts on shows as a crash, and the next one runs in a fresh child. */
    @Test
    void theSweepReportsACrashAndCarriesOn() throws Exception {
        MutationSweep.Report report = MutationSweep.run(stories,
                List.of(ByteMutation.of(1166, 0x41), ByteMutation.of(0, 'G'), ByteMutation.of(0, 'X')), false,
                Duration.ofSeconds(60), dir);
        assertEquals(3, report.mutations());
        assertEquals(1, report.failures().size(), report.toString());
        assertTrue(report.failures().get(0).result().contains("exit status 134"), report.toString());
        assertEquals(1, report.counts().get("loaded"), report.toString());
        assertEquals(1, report.counts().get("refused"), report.toString());
    }

    /**
     * Mutations that killed the JVM in a sweep without the check (10 000 mutations of seed 20261203:
     * 71 duplicate token texts, 2 block counts), each with the key the refusal names.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "1166=0x41, tokenizer.ggml.tokens", // issue 12's repro: "4" becomes "A"
            "4304=0x00, tokenizer.ggml.tokens", // a NUL cuts a token to the text of another
            "1600=0x32, tokenizer.ggml.tokens",
            "5626=0x78, tokenizer.ggml.tokens",
            "11249=0xab, llama.block_count", // 5 + 0xab << 16
            "11250=0x77+3673=0x00, llama.block_count"})
    void foundBySweeps(String mutation, String key) {
        Path file = ByteMutation.parse(mutation).writeTo(storiesBytes, dir.resolve("mutated.gguf"));
        for (ModelOptions options : new ModelOptions[] {ModelOptions.defaults(), ModelOptions.defaults().vocabOnly(true)}) {
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> LlamaModel.load(file, options).close());
            assertTrue(e.getMessage().contains(key + " = "), e.getMessage());
        }
    }
}
