package dev.llamajvm.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every natives folder a jar is made from (linux-x86_64, linux-x86_64-vulkan, linux-arm64) against
 * its manifest and the bindings: each listed file has the listed sha256 and is built for the jar's
 * processor, and the libraries export every function the bindings bind. Read with {@code nm}, so
 * it also checks natives this machine cannot load (arm64).
 */
class NativesFoldersTest {

    /** Declared in the pinned headers, defined nowhere (see SymbolResolutionTest). */
    private static final Set<String> DECLARED_BUT_NOT_DEFINED = Set.of("ggml_threadpool_get_n_threads");

    // ELF e_machine values.
    private static final Map<String, Integer> MACHINES = Map.of("x86_64", 0x3E, "aarch64", 0xB7);

    @ParameterizedTest(name = "{0}")
    @CsvSource({"llama.jvm.natives.dir, x86_64", "llama.jvm.vulkan.natives.dir, x86_64", "llama.jvm.arm64.natives.dir, aarch64"})
    void filesMatchTheirManifestAndExportEveryBoundFunction(String property, String machine) throws Exception {
        Path lib = TestEnvironment.requiredDir(property).resolve("lib");
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(lib.resolve("natives.list"))) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split("\\s+", 2);
            String name = parts[1].replaceFirst("^\\*", "");
            names.add(name);
            Path file = lib.resolve(name);
            assertEquals(parts[0], sha256(file), name + " does not match natives.list");
            assertEquals(MACHINES.get(machine), elfMachine(file), name + " is not built for " + machine);
        }
        assertTrue(names.contains("llama-jvm-probe"), "no probe program in " + names);
        assertTrue(names.stream().anyMatch(n -> n.startsWith("libggml-cpu-")), "no CPU variant in " + names);

        // Every library but the backend modules, plus one CPU variant (ggml-cpu.h's functions live there).
        Set<String> exported = new TreeSet<>();
        String variant = names.stream().filter(n -> n.startsWith("libggml-cpu-")).findFirst().orElseThrow();
        for (String name : names) {
            boolean module = name.startsWith("libggml-") && name.endsWith(".so") && !name.startsWith("libggml-base");
            if (name.contains(".so") && (!module || name.equals(variant))) {
                exported.addAll(definedSymbols(lib.resolve(name)));
            }
        }
        Map<String, List<String>> missing = new TreeMap<>();
        for (TestEnvironment.Header header : TestEnvironment.HEADERS) {
            for (String function : TestEnvironment.boundFunctions(header.headerClass())) {
                if (!exported.contains(function) && !DECLARED_BUT_NOT_DEFINED.contains(function)) {
                    missing.computeIfAbsent(header.headerClass().getSimpleName(), k -> new ArrayList<>()).add(function);
                }
            }
        }
        assertEquals(Map.of(), missing, "bound functions that no library in " + lib + " exports");
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static int elfMachine(Path file) throws IOException {
        byte[] header = new byte[20];
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(20, in.readNBytes(header, 0, 20), file + " is too short for an ELF file");
        }
        assertTrue(header[0] == 0x7F && header[1] == 'E' && header[2] == 'L' && header[3] == 'F', file + " is not ELF");
        return (header[18] & 0xFF) | (header[19] & 0xFF) << 8;
    }

    private static List<String> definedSymbols(Path library) throws Exception {
        Process nm = new ProcessBuilder("nm", "-D", "--defined-only", "--format=posix", library.toString())
                .redirectErrorStream(true).start();
        String output = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, nm.waitFor(), "nm failed on " + library + ": " + output);
        return output.lines().map(l -> l.split(" ", 2)[0]).toList();
    }
}
