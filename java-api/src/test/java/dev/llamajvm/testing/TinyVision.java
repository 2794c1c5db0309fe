package dev.llamajvm.testing;

import dev.llamajvm.LlamaModel;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.Projector;
import dev.llamajvm.ProjectorOptions;
import dev.llamajvm.testing.models.RandomProjector;

import java.nio.file.Path;

/**
 * The tests' random-weight LLaVA-style ("mlp") projector ({@link RandomProjector}) for the shared
 * tiny Llama 3 ({@link TinyLlama3}), made once and cached beside it.
 */
public final class TinyVision {

    /** The seed of the projector the vision tests share. */
    public static final long SEED = 20250312;

    private static Projector shared;

    private TinyVision() {}

    /** The projector file matching {@link TinyLlama3#shared()}. */
    public static Path path() {
        return projector(TinyLlama3.shared().info().embeddingSize());
    }

    /** A projector whose output width is {@code textEmbedding}: a mismatch for any other model width. */
    public static Path projector(int textEmbedding) {
        NativeLibraries.load();
        return RandomProjector.mlp(RandomProjector.Shape.tiny(), textEmbedding, SEED, TinyLlama3.cacheDir());
    }

    /** Options for tests: 2 threads, no warmup encode. */
    public static ProjectorOptions options() {
        return ProjectorOptions.defaults().threads(2).warmup(false);
    }

    /** The projector of {@link #path()} on the shared tiny model, loaded once for all tests. */
    public static synchronized Projector shared() {
        if (shared == null) {
            LlamaModel model = TinyLlama3.shared();
            Projector loaded = model.loadProjector(path(), options());
            // Closed at exit like the shared models, so LeakSanitizer (./sanitize.sh) sees it freed.
            Runtime.getRuntime().addShutdownHook(new Thread(loaded::close));
            shared = loaded;
        }
        return shared;
    }
}
