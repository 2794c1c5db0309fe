package dev.llamajvm.internal.backend;

import java.nio.file.Path;

/**
 * Asks a CPU variant how well it fits this processor: ggml's own {@code ggml_backend_score}, called
 * in this process as ggml does, so the answer comes from the CPU this JVM runs on (an emulator's,
 * under qemu). 0 means the processor lacks an instruction the variant needs.
 */
@FunctionalInterface
public interface ModuleScorer {

    /** The module's score; throws {@link IllegalArgumentException} if it cannot be opened. */
    int score(Path module);
}
