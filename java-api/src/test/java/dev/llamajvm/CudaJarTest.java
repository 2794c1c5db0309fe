package dev.llamajvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.llamajvm.testing.ChildJvm;
import dev.llamajvm.testing.Stories;
import dev.llamajvm.testing.TestEnvironment;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.TinyVision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linux-x86_64-cuda natives on a machine without an NVIDIA driver (every machine here): the
 * CUDA backend cannot load (no libcuda.so.1), the loader says so in one log line, and the jar's CPU
 * variants compute what the CPU build computes. Nothing is thrown.
 */
class CudaJarTest {

    @TempDir
    Path temp;

    @Test
    void withoutADriverTheCudaJarFallsBackToTheCpuWithOneLogLine() throws Exception {
        assumeFalse(Files.exists(Path.of("/proc/driver/nvidia/version")), "this machine has an NVIDIA driver");
        ChildJvm.Result run = ChildJvm.of(BackendSmoke.class)
                .property(NativeLibraries.LIBRARY_PATH_PROPERTY, TestEnvironment.cudaNatives().toString())
                .property(NativeLibraries.CACHE_DIR_PROPERTY, temp.resolve("cache").toString())
                .run(BackendSmoke.args());

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("backend cpu"), run.output());
        List<String> cudaLines = run.output().lines()
                .filter(l -> (l.startsWith("INFO: ") || l.startsWith("WARNING: ") || l.startsWith("SEVERE: "))
                        && l.contains("cuda")).toList();
        assertEquals(1, cudaLines.size(), run.output());
        assertTrue(cudaLines.get(0).contains("skipped cuda: the probe exited with 3")
                && cudaLines.get(0).contains("libcuda.so.1"), cudaLines.get(0));
        BackendSmoke.assertSameResults(BackendSmoke.results(Stories.model(), TinyLlama3.shared(), TinyVision.shared()),
                BackendSmoke.parse(run.output()), run.output());
    }
}
