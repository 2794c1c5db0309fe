package dev.llamajvm.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What lies outside the module, found through the system properties the poms set (the same ones
 * the java-api tests read) and handed on to every child JVM.
 */
public final class FuzzEnvironment {

    /** The properties a child JVM needs to find the natives, the source and the shared models. */
    static final String[] FORWARDED_PROPERTIES = {
        "llama.jvm.natives.dir", "llama.jvm.source.dir", "llama.jvm.shared.dir", "llama.jvm.cache.dir",
        "llama.jvm.fuzz.work.dir", "llama.jvm.library.path",
    };

    private FuzzEnvironment() {}

    /**
     * Skips the calling test when the source, the shared models or the build folder are missing (a
     * plain {@code mvn verify} without the README's test command), except under CI (CI=true), where
     * every test must run.
     */
    static void assumeAvailable() {
        try {
            llamaSource();
            stories260K();
            workDir();
        } catch (IllegalStateException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("required under CI: " + e.getMessage(), e);
            }
            org.junit.jupiter.api.Assumptions.abort(e.getMessage());
        }
    }

    /** The pinned llama.cpp source (vocab files, chat templates, grammars). */
    public static Path llamaSource() {
        return folder("llama.jvm.source.dir");
    }

    /** The shared real model stories260K. */
    public static Path stories260K() {
        return file(folder("llama.jvm.shared.dir").resolve("models").resolve("stories260K.gguf"));
    }

    /** The module's build folder: seeds, corpora, crashes and logs go under it. */
    public static Path workDir() {
        return folder("llama.jvm.fuzz.work.dir");
    }

    /** Where made models are cached (beside the natives the loader extracts). */
    public static Path modelCache() {
        String cache = System.getProperty("llama.jvm.cache.dir", "");
        return (cache.isBlank() ? workDir().resolve("llama-jvm-cache") : Path.of(cache)).resolve("fuzz-models");
    }

    private static Path folder(String property) {
        String value = System.getProperty(property, "");
        if (value.isBlank() || !Files.isDirectory(Path.of(value))) {
            throw new IllegalStateException("system property " + property + " = '" + value
                    + "' is not a folder; run the fuzzers through ./fuzz.sh or ./test.sh");
        }
        return Path.of(value);
    }

    private static Path file(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " does not exist");
        }
        return path;
    }
}
