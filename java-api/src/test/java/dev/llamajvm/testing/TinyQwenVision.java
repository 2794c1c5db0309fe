package dev.llamajvm.testing;

import dev.llamajvm.LlamaModel;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.Projector;
import dev.llamajvm.testing.models.RandomLlama;
import dev.llamajvm.testing.models.RandomProjector;

import java.nio.file.Path;

/**
 * The tests' M-RoPE vision pair: a tiny random-weight Qwen2-VL language model (Llama 3's vocabulary
 * and template) and its random Qwen2-VL projector, made once and cached beside {@link TinyLlama3}.
 * Images here span fewer positions than tokens, which is what M-RoPE changes for a binding.
 */
public final class TinyQwenVision {

    /** The seed of both files. */
    public static final long SEED = 20251104;

    private static LlamaModel model;
    private static Projector projector;

    private TinyQwenVision() {}

    public static Path modelPath() {
        NativeLibraries.load();
        return RandomLlama.tinyQwen2Vl(SEED, TestEnvironment.llamaSource(), TinyLlama3.cacheDir());
    }

    public static Path projectorPath() {
        NativeLibraries.load();
        return RandomProjector.qwen2vl(RandomProjector.Shape.tinyQwen2Vl(), RandomLlama.Shape.tiny().embedding(), SEED,
                TinyLlama3.cacheDir());
    }

    /** The model, loaded once for all tests (closed at exit). */
    public static synchronized LlamaModel model() {
        if (model == null) {
            LlamaModel loaded = LlamaModel.load(modelPath());
            Runtime.getRuntime().addShutdownHook(new Thread(loaded::close));
            model = loaded;
        }
        return model;
    }

    /** The projector on {@link #model()}, loaded once (closed at exit). */
    public static synchronized Projector projector() {
        if (projector == null) {
            Projector loaded = model().loadProjector(projectorPath(), TinyVision.options());
            // Closed at exit like the model: left open, LeakSanitizer (./sanitize.sh) reported its
            // clip_ctx (about 170 MB) as leaked at the suite's exit.
            Runtime.getRuntime().addShutdownHook(new Thread(loaded::close));
            projector = loaded;
        }
        return projector;
    }
}
