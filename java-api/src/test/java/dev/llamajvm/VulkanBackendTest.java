package dev.llamajvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamajvm.testing.ChildJvm;
import dev.llamajvm.testing.Stories;
import dev.llamajvm.testing.TestEnvironment;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.TinyVision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linux-x86_64-vulkan natives, in child JVMs, against the CPU build in this JVM: on Mesa's
 * lavapipe (software Vulkan; ggml uses a CPU-type Vulkan device only when GGML_VK_VISIBLE_DEVICES
 * names it) greedy tokens, tokenization, embeddings and a vision turn match; without a visible
 * device the jar falls back to its CPU variants with one log line.
 */
class VulkanBackendTest {

    private static final String VISIBLE_DEVICES = "GGML_VK_VISIBLE_DEVICES";
    /** Mesa's lavapipe driver alone, so a machine's real GPU never stands in for it. */
    private static final String LAVAPIPE_ONLY = "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json";

    @TempDir
    static Path temp;

    private static Map<String, String> onCpu;

    @BeforeAll
    static void computeOnTheCpu() {
        onCpu = BackendSmoke.results(Stories.model(), TinyLlama3.shared(), TinyVision.shared());
    }

    @Test
    void onLavapipeEveryResultMatchesTheCpuBuild() throws Exception {
        // llama.cpp's own log at FINE shows where the weights went.
        Path logging = temp.resolve("logging.properties");
        Files.writeString(logging, "handlers=java.util.logging.ConsoleHandler\n.level=ALL\n"
                + "java.util.logging.ConsoleHandler.level=ALL\n");

        ChildJvm.Result run = child().environment(VISIBLE_DEVICES, "0")
                .property("java.util.logging.config.file", logging.toString()).run(BackendSmoke.args());

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("backend vulkan"), run.output());
        assertTrue(run.output().contains("device Vulkan0 (gpu): llvmpipe"), run.output());
        assertTrue(run.output().contains("offloaded 6/6 layers to GPU")
                && run.output().contains("Vulkan0 model buffer size"), "the model must compute on Vulkan:\n" + run.output());
        BackendSmoke.assertSameResults(onCpu, BackendSmoke.parse(run.output()), run.output());
    }

    @Test
    void withoutAVisibleDeviceTheVulkanJarFallsBackToTheCpuWithOneLogLine() throws Exception {
        ChildJvm.Result run = child().environment(VISIBLE_DEVICES, "").run(BackendSmoke.args());

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("backend cpu"), run.output());
        List<String> vulkanLines = run.output().lines()
                .filter(l -> (l.startsWith("INFO: ") || l.startsWith("WARNING: ")) && l.contains("vulkan")).toList();
        assertEquals(1, vulkanLines.size(), run.output());
        assertTrue(vulkanLines.get(0).contains("skipped vulkan: the probe exited with 2"), vulkanLines.get(0));
        assertEquals(onCpu.get("tokens"), BackendSmoke.parse(run.output()).get("tokens"), run.output());
    }

    private static ChildJvm child() {
        return ChildJvm.of(BackendSmoke.class)
                .environment("VK_ICD_FILENAMES", LAVAPIPE_ONLY)
                .property(NativeLibraries.LIBRARY_PATH_PROPERTY, TestEnvironment.vulkanNatives().toString())
                .property(NativeLibraries.CACHE_DIR_PROPERTY, temp.resolve("cache").toString());
    }
}
