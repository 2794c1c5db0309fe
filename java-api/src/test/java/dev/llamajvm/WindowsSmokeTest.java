package dev.llamajvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamajvm.testing.GreedySmoke;
import dev.llamajvm.testing.Stories;
import dev.llamajvm.testing.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The windows-x86_64 natives (node-llama-cpp's MSVC build of our tag) under wine64: no Windows JDK
 * exists here, so a C program (native/tools/greedy-smoke.c, built with mingw) loads the DLLs,
 * tokenizes and generates greedily, and its tokens must equal the Linux build's; the probe program
 * cross-compiled for Windows must pass on a CPU variant.
 */
class WindowsSmokeTest {

    private static final int TOKENS = 24;

    @TempDir
    static Path temp;

    private static Path natives;

    @BeforeAll
    static void environment() {
        natives = TestEnvironment.windowsNatives();
    }

    @Test
    void greedyTokensUnderWineEqualTheLinuxBuilds() throws Exception {
        Path smoke = temp.resolve("greedy-smoke.exe");
        Path source = TestEnvironment.llamaSource();
        run(List.of(TestEnvironment.command("x86_64-w64-mingw32-gcc").toString(), "-O2", "-std=c11",
                "-I" + source.resolve("include"), "-I" + source.resolve("ggml/include"),
                Path.of(System.getProperty("llama.jvm.repo.dir"), "native/tools/greedy-smoke.c").toString(),
                natives.resolve("llama.v0.4.0.dll").toString(), natives.resolve("ggml.v0.4.0.dll").toString(),
                "-o", smoke.toString()), false);

        String output = run(List.of(TestEnvironment.wine64().toString(), smoke.toString(),
                windowsPath(natives.resolve("ggml-cpu-x64.dll")), windowsPath(Stories.path()),
                GreedySmoke.PROMPT, String.valueOf(TOKENS)), true);

        List<Integer> linux = GreedySmoke.tokens(Stories.model());
        // A Windows program ends its lines with \r\n.
        assertTrue(output.replace("\r", "").contains("tokens=" + linux + "\n"), "Linux: " + linux + ", under wine:\n" + output);
    }

    @Test
    void theProbePassesOnACpuVariantUnderWine() throws Exception {
        String output = run(List.of(TestEnvironment.wine64().toString(), natives.resolve("llama-jvm-probe.exe").toString(),
                windowsPath(natives.resolve("ggml-cpu-x64.dll"))), true);

        assertTrue(output.lines().anyMatch(l -> l.startsWith("device\tCPU\t")), output);
    }

    /** Runs a command (under wine: in a prefix of this test's own, DLLs found in the natives folder). */
    private static String run(List<String> command, boolean wine) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        if (wine) {
            builder.environment().putAll(Map.of("WINEPREFIX", temp.resolve("wine").toString(), "WINEDEBUG", "-all",
                    "WINEPATH", windowsPath(natives)));
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "still running: " + command);
        assertEquals(0, process.exitValue(), command + ":\n" + output);
        return output;
    }

    /** Wine shows the Linux file system as drive Z:. */
    private static String windowsPath(Path path) {
        return "Z:" + path.toAbsolutePath().toString().replace('/', '\\');
    }
}
