package dev.llamajvm.internal.jni;

import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.backend.ModuleScorer;
import org.bytedeco.javacpp.BytePointer;

import java.nio.file.Path;

/**
 * Asks a CPU variant its {@code ggml_backend_score} in this process through the JNI glue
 * ({@code llama_jvm_backend_score} of llama-jvm's shim): the JNI engine's scorer. In-process, so
 * the answer is the CPU this JVM runs on (an emulator's, under qemu), as for the Panama engine.
 *
 * <p>Stateless; any thread may use it.
 */
public final class JniModuleScorer implements ModuleScorer {

    @Override
    public int score(Path module) {
        JniRuntime.loadGlueOf(module.getParent());
        try (BytePointer path = JniStrings.utf8(module.toAbsolutePath().toString())) {
            int score = Llama.llama_jvm_backend_score(path);
            if (score < 0) {
                throw new IllegalArgumentException("cannot open " + module);
            }
            return score;
        }
    }
}
