package dev.llamajvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamajvm.testing.ChildJvm;
import dev.llamajvm.testing.GreedySmoke;
import dev.llamajvm.testing.Stories;
import dev.llamajvm.testing.TestEnvironment;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.TinyVision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    private static final String TEXT = "Once upon a time, Lily saw a big red ball.";
    private static final double EMBEDDING_TOLERANCE = 1e-3;

    @TempDir
    static Path temp;

    private static Map<String, String> onCpu;

    @BeforeAll
    static void computeOnTheCpu() {
        onCpu = Smoke.results(Stories.model(), TinyLlama3.shared(), TinyVision.shared());
    }

    @Test
    void onLavapipeEveryResultMatchesTheCpuBuild() throws Exception {
        // llama.cpp's own log at FINE shows where the weights went.
        Path logging = temp.resolve("logging.properties");
        Files.writeString(logging, "handlers=java.util.logging.ConsoleHandler\n.level=ALL\n"
                + "java.util.logging.ConsoleHandler.level=ALL\n");

        ChildJvm.Result run = child().environment(VISIBLE_DEVICES, "0")
                .property("java.util.logging.config.file", logging.toString()).run(smokeArgs());

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("backend vulkan"), run.output());
        assertTrue(run.output().contains("device Vulkan0 (gpu): llvmpipe"), run.output());
        assertTrue(run.output().contains("offloaded 6/6 layers to GPU")
                && run.output().contains("Vulkan0 model buffer size"), "the model must compute on Vulkan:\n" + run.output());
        Map<String, String> onVulkan = Smoke.parse(run.output());
        assertEquals(onCpu.keySet(), onVulkan.keySet(), run.output());
        for (String key : onCpu.keySet()) {
            if (key.startsWith("embedding")) {
                assertVectorsClose(onCpu.get(key), onVulkan.get(key), key);
            } else {
                assertEquals(onCpu.get(key), onVulkan.get(key), key + ": " + firstDivergence(onCpu.get(key), onVulkan.get(key)));
            }
        }
    }

    @Test
    void withoutAVisibleDeviceTheVulkanJarFallsBackToTheCpuWithOneLogLine() throws Exception {
        ChildJvm.Result run = child().environment(VISIBLE_DEVICES, "").run(smokeArgs());

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("backend cpu"), run.output());
        List<String> vulkanLines = run.output().lines()
                .filter(l -> (l.startsWith("INFO: ") || l.startsWith("WARNING: ")) && l.contains("vulkan")).toList();
        assertEquals(1, vulkanLines.size(), run.output());
        assertTrue(vulkanLines.get(0).contains("skipped vulkan: the probe exited with 2"), vulkanLines.get(0));
        assertEquals(onCpu.get("tokens"), Smoke.parse(run.output()).get("tokens"), run.output());
    }

    private static ChildJvm child() {
        return ChildJvm.of(Smoke.class)
                .property(NativeLibraries.LIBRARY_PATH_PROPERTY, TestEnvironment.vulkanNatives().toString())
                .property(NativeLibraries.CACHE_DIR_PROPERTY, temp.resolve("cache").toString());
    }

    private static String[] smokeArgs() {
        return new String[] {Stories.path().toString(), TinyLlama3.path(TinyLlama3.SEED).toString(),
                TinyVision.path().toString()};
    }

    private static void assertVectorsClose(String expected, String actual, String what) {
        double[] e = Arrays.stream(expected.split(",")).mapToDouble(Double::parseDouble).toArray();
        double[] a = Arrays.stream(actual.split(",")).mapToDouble(Double::parseDouble).toArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], EMBEDDING_TOLERANCE, what + " component " + i);
        }
    }

    private static String firstDivergence(String expected, String actual) {
        String[] e = expected.split(",");
        String[] a = actual.split(",");
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            if (!e[i].equals(a[i])) {
                return "first divergence at item " + i + ": " + e[i] + " on the CPU, " + a[i] + " on Vulkan";
            }
        }
        return "lengths " + e.length + " and " + a.length;
    }

    /**
     * What both builds compute: one line per result, {@code key=value}. The child's main prints
     * them after {@link NativeLibraries#describe()}.
     */
    public static final class Smoke {

        private Smoke() {}

        public static void main(String[] args) {
            System.out.println(NativeLibraries.describe());
            try (LlamaModel stories = LlamaModel.load(Path.of(args[0]));
                 LlamaModel llama3 = LlamaModel.load(Path.of(args[1]));
                 Projector projector = llama3.loadProjector(Path.of(args[2]), TinyVision.options())) {
                results(stories, llama3, projector).forEach((key, value) -> System.out.println("result." + key + "=" + value));
            }
        }

        static Map<String, String> results(LlamaModel stories, LlamaModel llama3, Projector projector) {
            Map<String, String> results = new TreeMap<>();
            results.put("tokens", join(GreedySmoke.tokens(stories)));
            results.put("tokenized", join(Arrays.stream(llama3.tokenizer().tokenize(TEXT)).boxed().toList()));
            try (Embedder embedder = stories.newEmbedder(EmbeddingOptions.defaults()
                    .pooling(EmbeddingOptions.Pooling.MEAN).threads(2))) {
                float[] vector = embedder.embed(List.of(TEXT))[0];
                List<Float> values = new ArrayList<>();
                for (float v : vector) {
                    values.add(v);
                }
                results.put("embedding", join(values));
            }
            try (ChatSession chat = llama3.newChat(ChatOptions.defaults().projector(projector)
                    .session(SessionOptions.defaults().contextSize(512).threads(2))
                    .generate(GenerateOptions.defaults().maxTokens(8)))) {
                results.put("vision", join(chat.send(Message.user("What is in the picture?",
                        VisionChatTest.picture(1))).tokens()));
            }
            return results;
        }

        static Map<String, String> parse(String output) {
            Map<String, String> results = new TreeMap<>();
            output.lines().filter(l -> l.startsWith("result.")).forEach(l -> {
                int eq = l.indexOf('=');
                results.put(l.substring("result.".length(), eq), l.substring(eq + 1));
            });
            return results;
        }

        private static String join(List<?> values) {
            return String.join(",", values.stream().map(String::valueOf).toList());
        }
    }
}
