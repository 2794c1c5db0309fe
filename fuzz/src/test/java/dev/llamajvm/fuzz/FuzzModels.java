package dev.llamajvm.fuzz;

import dev.llamajvm.NativeLibraries;
import dev.llamajvm.testing.models.RandomLlama;
import dev.llamajvm.testing.models.RandomLlama.Architecture;
import dev.llamajvm.testing.models.RandomLlama.Shape;
import dev.llamajvm.testing.models.RandomLlama.WeightType;
import dev.llamajvm.testing.models.RandomProjector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The random-weight models the fuzzers load: as small as llama.cpp allows (stories260K's 512-token
 * vocabulary, one layer, width 32), so that a mutated copy loads in milliseconds. Made once by the
 * {@code testing} module and cached; every JVM that asks gets the same files.
 */
public final class FuzzModels {

    /** Bump when the files below change, so stale cached files are not reused. */
    private static final int FORMAT = 1;
    private static final long SEED = 1212;
    /** The text width, which the projectors' output must match. */
    public static final int WIDTH = 32;
    private static final Shape SHAPE = new Shape(1, WIDTH, 2, 1, 64, 256, 10000f, 1e-5f, true, WeightType.F32, 0f);
    private static final String TEMPLATE = "models/templates/meta-llama-Llama-3.2-3B-Instruct.jinja";

    private FuzzModels() {}

    /** A llama with stories260K's vocabulary and Llama 3.2's chat template. */
    public static Path llama() {
        return model(Architecture.LLAMA);
    }

    /** The same as a Qwen2-VL text model (M-RoPE positions). */
    public static Path qwen2Vl() {
        return model(Architecture.QWEN2VL);
    }

    /** An MLP (LLaVA 1.5) projector for {@link #llama()}. */
    public static Path mlpProjector() {
        NativeLibraries.load();
        return RandomProjector.mlp(RandomProjector.Shape.tiny(), WIDTH, SEED, FuzzEnvironment.modelCache());
    }

    /** A Qwen2-VL projector of the same output width. */
    public static Path qwen2VlProjector() {
        NativeLibraries.load();
        return RandomProjector.qwen2vl(RandomProjector.Shape.tinyQwen2Vl(), WIDTH, SEED, FuzzEnvironment.modelCache());
    }

    private static synchronized Path model(Architecture architecture) {
        NativeLibraries.load();
        Path file = FuzzModels.cacheFile(architecture.key() + "-1x" + WIDTH + "-stories-vocab-v" + FORMAT + ".gguf");
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            Files.createDirectories(file.getParent());
            Path part = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
            try {
                String template = Files.readString(FuzzEnvironment.llamaSource().resolve(TEMPLATE));
                RandomLlama.make(architecture, SHAPE, SEED, FuzzEnvironment.stories260K(), template, part);
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path cacheFile(String name) {
        return FuzzEnvironment.modelCache().resolve(name);
    }
}
