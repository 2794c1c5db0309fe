package dev.llamajvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamajvm.testing.ChildJvm;
import dev.llamajvm.testing.Stories;
import dev.llamajvm.testing.TestEnvironment;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.TinyVision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linux-arm64 natives on an arm64 JDK 25 under qemu-aarch64 (user-mode emulation of a Neoverse
 * N1), against the x86-64 CPU build in this JVM: loading, the Llama 3 tokenizer, greedy tokens,
 * embeddings (1e-3) and a vision chat turn. Slow under emulation, so one child run does it all.
 */
class Arm64EmulatedTest {

    @TempDir
    Path temp;

    @Test
    void theArm64NativesComputeWhatTheX86BuildDoes() throws Exception {
        Path root = TestEnvironment.arm64Root();
        Map<String, String> onX86 = BackendSmoke.results(Stories.model(), TinyLlama3.shared(), TinyVision.shared());

        ChildJvm.Result run = ChildJvm.of(BackendSmoke.class)
                .launcher(List.of(TestEnvironment.command("qemu-aarch64").toString(), "-L", root.toString(),
                        "-cpu", "neoverse-n1"))
                .java(arm64Java(root))
                // Where binfmt_misc runs arm64 programs through qemu, the probe the JVM starts needs
                // the same root and processor.
                .environment("QEMU_LD_PREFIX", root.toString())
                .environment("QEMU_CPU", "neoverse-n1")
                .property(NativeLibraries.LIBRARY_PATH_PROPERTY, TestEnvironment.arm64Natives().toString())
                .property(NativeLibraries.CACHE_DIR_PROPERTY, temp.resolve("cache").toString())
                .timeout(Duration.ofMinutes(10))
                .run(BackendSmoke.args());

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("llama-jvm natives: library path, backend cpu, CPU variant armv8.2_"),
                run.output());
        BackendSmoke.assertSameResults(onX86, BackendSmoke.parse(run.output()), run.output());
    }

    private static Path arm64Java(Path root) throws IOException {
        try (Stream<Path> jvms = Files.list(root.resolve("usr/lib/jvm"))) {
            return jvms.map(jvm -> jvm.resolve("bin/java")).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new AssertionError("no java under " + root + "/usr/lib/jvm"));
        }
    }
}
