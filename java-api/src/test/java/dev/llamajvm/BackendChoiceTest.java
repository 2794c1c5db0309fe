package dev.llamajvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.llamajvm.internal.NativeManifest;
import dev.llamajvm.testing.ChildJvm;
import dev.llamajvm.testing.GreedySmoke;
import dev.llamajvm.testing.Stories;
import dev.llamajvm.testing.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend modules a JVM registers, end to end in child JVMs on the real natives: a CPU variant
 * that faults is skipped (and remembered), a JVM on an emulated older processor picks a lower
 * variant and generates the same greedy tokens, and a GPU backend without its driver falls back to
 * the CPU.
 */
class BackendChoiceTest {

    private static final Pattern VARIANT = Pattern.compile("(?m)^variant=(\\S+)$");
    private static final Pattern TOKENS = Pattern.compile("(?m)^tokens=(\\[.*\\])$");

    @TempDir
    Path temp;

    @Test
    void aVariantThatFaultsIsSkippedAndRemembered() throws Exception {
        Path natives = copyOfTheNatives();
        addFaultyVariant(natives);
        Map<String, String> properties = Map.of(
                NativeLibraries.LIBRARY_PATH_PROPERTY, natives.toString(),
                NativeLibraries.CACHE_DIR_PROPERTY, temp.resolve("cache").toString());

        ChildJvm.Result first = smoke(List.of(), properties);
        ChildJvm.Result second = smoke(List.of(), properties);

        String expectedTokens = GreedySmoke.tokens(Stories.model()).toString();
        for (ChildJvm.Result run : List.of(first, second)) {
            assertEquals(0, run.exitCode(), run.output());
            assertFalse(variant(run).equals("zzfaulty"), run.output());
            assertEquals(expectedTokens, tokens(run), run.output());
        }
        assertTrue(first.output().contains("skipped cpu-zzfaulty: the probe died of SIGILL"), first.output());
        assertTrue(first.output().contains("(probed)"), first.output());
        assertTrue(second.output().contains("skipped cpu-zzfaulty: the probe died of SIGILL")
                && second.output().contains("(cached)"), second.output());
        assertTrue(second.output().contains("verdict cached in"), second.output());
    }

    /**
     * The variant is scored in the emulated JVM; the probe it starts runs on the host's processor
     * (user-mode qemu does not follow exec), so this checks the scoring, not the probe, there.
     */
    @Test
    @Tag("emulation") // ./sanitize.sh leaves it out: its natives need ASan preloaded, qemu cannot carry that
    void anEmulatedOlderProcessorGetsALowerVariantAndTheSameTokens() throws Exception {
        Path qemu = TestEnvironment.command("qemu-x86_64");
        Map<String, String> properties = Map.of(
                NativeLibraries.LIBRARY_PATH_PROPERTY, NativeLibraries.load().toString(),
                NativeLibraries.CACHE_DIR_PROPERTY, temp.resolve("cache").toString());

        // Sandy Bridge: AVX without F16C, FMA or AVX2, so ggml's sandybridge variant scores best.
        ChildJvm.Result emulated = smoke(List.of(qemu.toString(), "-cpu", "SandyBridge,-x2apic,-tsc-deadline"), properties);

        assertEquals(0, emulated.exitCode(), emulated.output());
        assertEquals("sandybridge", variant(emulated), emulated.output());
        assertEquals(GreedySmoke.tokens(Stories.model()).toString(), tokens(emulated), emulated.output());
    }

    @Test
    void quantizedWeightsRunOnTheChosenVariant() throws Exception {
        // Q8_0 and Q4_0 weights take the AMX and repacked kernels: where this machine advertises AMX
        // but refuses it, the variant ggml alone picks dies of SIGILL in the first prompt.
        for (String type : List.of("Q8_0", "Q4_0")) {
            Path quantized = temp.resolve("stories260K-" + type + ".gguf");
            Process quantize = new ProcessBuilder(TestEnvironment.tool("llama-quantize").toString(),
                    Stories.path().toString(), quantized.toString(), type)
                    .redirectErrorStream(true).redirectOutput(temp.resolve("quantize.log").toFile()).start();
            assertEquals(0, quantize.waitFor(), Files.readString(temp.resolve("quantize.log")));

            ChildJvm.Result run = ChildJvm.of(GreedySmoke.class).run(quantized.toString());

            assertEquals(0, run.exitCode(), run.output());
            assertEquals(24, tokens(run).split(",").length, run.output());
        }
    }

    @Test
    void aGpuBackendWithoutItsDriverFallsBackToTheCpuWithOneLogLine() throws Exception {
        assumeFalse(Files.exists(Path.of("/proc/driver/nvidia/version")), "this machine has an NVIDIA driver");
        Path natives = copyOfTheNatives();
        // Linked against the driver's library, as ggml-cuda is against libcuda.so.1; then the driver
        // is taken away, as on every machine without an NVIDIA GPU.
        Path driver = Files.createDirectories(temp.resolve("driver"));
        compile("void cuInit(void) {}", driver.resolve("libcuda.so.1"), "-Wl,-soname,libcuda.so.1");
        Path module = natives.resolve("libggml-cuda.so");
        compile("extern void cuInit(void); void * ggml_backend_init(void) { cuInit(); return 0; }", module,
                "-L" + driver, "-l:libcuda.so.1");
        addToManifest(natives, module);
        Files.delete(driver.resolve("libcuda.so.1"));

        ChildJvm.Result run = smoke(List.of(), Map.of(
                NativeLibraries.LIBRARY_PATH_PROPERTY, natives.toString(),
                NativeLibraries.CACHE_DIR_PROPERTY, temp.resolve("cache").toString()));

        assertEquals(0, run.exitCode(), run.output());
        assertEquals(GreedySmoke.tokens(Stories.model()).toString(), tokens(run), run.output());
        assertTrue(run.output().contains("backend cpu"), run.output());
        List<String> logLines = run.output().lines().filter(l -> l.startsWith("INFO: ") || l.startsWith("WARNING: "))
                .filter(l -> l.contains("cuda")).toList();
        assertEquals(1, logLines.size(), run.output());
        assertTrue(logLines.get(0).contains("skipped cuda: the probe exited with 3")
                && logLines.get(0).contains("libcuda.so.1: cannot open shared object file"), logLines.get(0));
    }

    private ChildJvm.Result smoke(List<String> launcher, Map<String, String> properties) throws Exception {
        ChildJvm child = ChildJvm.of(GreedySmoke.class).launcher(launcher);
        properties.forEach(child::property);
        return child.run(Stories.path().toString());
    }

    private static String variant(ChildJvm.Result run) {
        Matcher m = VARIANT.matcher(run.output());
        return m.find() ? m.group(1) : "<none printed>";
    }

    private static String tokens(ChildJvm.Result run) {
        Matcher m = TOKENS.matcher(run.output());
        return m.find() ? m.group(1) : "<none printed>";
    }

    private Path copyOfTheNatives() throws IOException {
        Path source = NativeLibraries.load();
        Path copy = Files.createDirectories(temp.resolve("natives"));
        for (NativeManifest.Entry entry : NativeManifest.read(source).entries()) {
            Files.copy(source.resolve(entry.fileName()), copy.resolve(entry.fileName()));
        }
        Files.copy(source.resolve(NativeManifest.FILE_NAME), copy.resolve(NativeManifest.FILE_NAME));
        return copy;
    }

    /**
     * A CPU variant that claims to fit this processor better than any real one, and whose backend
     * init executes an illegal instruction (ud2), as a variant with instructions the machine
     * refuses does in its first matrix product.
     */
    private void addFaultyVariant(Path natives) throws Exception {
        Path module = natives.resolve("libggml-cpu-zzfaulty.so");
        compile("""
                int ggml_backend_score(void) { return 1 << 30; }
                void * ggml_backend_init(void) { __builtin_trap(); return 0; }
                """, module);
        addToManifest(natives, module);
    }

    private void compile(String code, Path library, String... flags) throws Exception {
        Path source = Files.createTempFile(temp, "module", ".c");
        Files.writeString(source, code);
        List<String> command = new ArrayList<>(List.of(TestEnvironment.command("gcc").toString(), "-shared", "-fPIC",
                "-o", library.toString(), source.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        // Under ./sanitize.sh the test JVM's environment preloads ASan, which would report gcc's own leaks.
        builder.environment().remove("LD_PRELOAD");
        Process cc = builder.start();
        assertEquals(0, cc.waitFor(), "gcc could not build " + library);
    }

    private static void addToManifest(Path natives, Path file) throws Exception {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        Files.writeString(natives.resolve(NativeManifest.FILE_NAME), sha256 + "  " + file.getFileName() + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
