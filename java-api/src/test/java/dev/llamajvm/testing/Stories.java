package dev.llamajvm.testing;

import dev.llamajvm.LlamaModel;

import java.nio.file.Path;

/**
 * The shared stories260K model, loaded once for every test class that only reads it (tests about
 * closing a model load their own). Freed when the test JVM exits.
 */
public final class Stories {

    private static LlamaModel model;

    private Stories() {}

    public static Path path() {
        return TestEnvironment.sharedModel("stories260K.gguf");
    }

    public static synchronized LlamaModel model() {
        if (model == null) {
            LlamaModel loaded = LlamaModel.load(path());
            Runtime.getRuntime().addShutdownHook(new Thread(loaded::close));
            model = loaded;
        }
        return model;
    }
}
