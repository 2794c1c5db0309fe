package dev.llamajvm.benchmarks;

import dev.llamajvm.GenerateOptions;
import dev.llamajvm.SessionOptions;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one workload every benchmark here measures, and where its model is: stories260K, prompt
 * "Once upon a time", greedy, 128 generated tokens (end-of-generation ignored), 2 threads. The
 * same settings as {@code llama-completion -p "Once upon a time" -n 128 --temp 0 -t 2 --ignore-eos}
 * and {@code llama-bench -t 2 -n 128}, which ./bench.sh runs beside it.
 */
public final class BenchSetup {

    /** System property: the model file itself; wins over everything else. */
    public static final String MODEL_PROPERTY = "llama.jvm.bench.model";
    /** System property: the shared test data folder (as the tests use it); the model is models/stories260K.gguf. */
    public static final String SHARED_DIR_PROPERTY = "llama.jvm.shared.dir";

    public static final String MODEL_FILE = "stories260K.gguf";
    public static final String PROMPT = "Once upon a time";
    public static final int TOKENS = 128;
    public static final int THREADS = 2;

    private BenchSetup() {}

    /**
     * Session settings: the library defaults (batches of 512) with a 4,096 context, stated here because
     * the raw-binding benchmark hands it to llama.cpp as is, and {@code threads} threads.
     */
    public static SessionOptions session(int threads) {
        return SessionOptions.defaults().threads(threads).contextSize(4096);
    }

    /** Greedy, exactly {@code tokens} tokens: end-of-generation does not stop it (like --ignore-eos). */
    public static GenerateOptions generate(int tokens) {
        return GenerateOptions.defaults().maxTokens(tokens).ignoreEos(true);
    }

    /**
     * The model: system property {@value #MODEL_PROPERTY}, else {@value #SHARED_DIR_PROPERTY}/models,
     * else {@code ../shared/models} beside the repository root, found by walking up from the working
     * folder and from this jar's location to the folder that holds {@code benchmarks/pom.xml}.
     */
    public static Path model() {
        String explicit = System.getProperty(MODEL_PROPERTY, "");
        if (!explicit.isBlank()) {
            return existing(Path.of(explicit), MODEL_PROPERTY);
        }
        String shared = System.getProperty(SHARED_DIR_PROPERTY, "");
        if (!shared.isBlank()) {
            return existing(Path.of(shared, "models", MODEL_FILE), SHARED_DIR_PROPERTY);
        }
        List<Path> tried = new ArrayList<>();
        for (Path start : startingPoints()) {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("benchmarks").resolve("pom.xml"))) {
                    Path candidate = dir.resolveSibling("shared").resolve("models").resolve(MODEL_FILE);
                    if (Files.isRegularFile(candidate)) {
                        return candidate;
                    }
                    tried.add(candidate);
                    break;
                }
            }
        }
        throw new IllegalStateException("cannot find " + MODEL_FILE + " (looked at " + tried + "); pass -D"
                + SHARED_DIR_PROPERTY + "=<shared folder> or -D" + MODEL_PROPERTY + "=<model file>");
    }

    private static List<Path> startingPoints() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of(""));
        try {
            starts.add(Path.of(BenchSetup.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException ignored) {
            // no code source: the working folder alone
        }
        return starts;
    }

    private static Path existing(Path file, String property) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no model file at " + file.toAbsolutePath() + " (from -D" + property + ")");
        }
        return file;
    }
}
