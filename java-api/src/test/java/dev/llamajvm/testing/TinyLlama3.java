package dev.llamajvm.testing;

import dev.llamajvm.LlamaModel;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.testing.models.RandomLlama;

import java.nio.file.Path;

/**
 * The tests' random-weight tiny llama with the real Llama 3 vocabulary and Llama 3.2 chat template
 * ({@link RandomLlama}), made from the pinned source and cached under
 * {@code ${llama.jvm.cache.dir}/random-models} (Maven points that into {@code target/}).
 */
public final class TinyLlama3 {

    /** The seed of the model the chat tests share. */
    public static final long SEED = 20240917;

    private static LlamaModel shared;

    private TinyLlama3() {}

    /** The model file for {@code seed}, made on first use. */
    public static Path path(long seed) {
        NativeLibraries.load(); // a clean exception if the natives are missing, before any binding runs
        return RandomLlama.tinyLlama3(seed, TestEnvironment.llamaSource(), cacheDir());
    }

    /** Where made models are kept. */
    public static Path cacheDir() {
        String configured = System.getProperty(NativeLibraries.CACHE_DIR_PROPERTY, "");
        Path base = configured.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "llama-jvm") : Path.of(configured);
        return base.resolve("random-models");
    }

    /** The model of {@link #SEED}, loaded once for all tests (closed at exit). */
    public static synchronized LlamaModel shared() {
        if (shared == null) {
            LlamaModel loaded = LlamaModel.load(path(SEED));
            Runtime.getRuntime().addShutdownHook(new Thread(loaded::close));
            shared = loaded;
        }
        return shared;
    }
}
