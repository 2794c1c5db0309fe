package dev.llamajvm.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Every function the header classes bind has its symbol in the built libraries. The libraries are
 * opened (dlopen) but no function is called.
 */
class SymbolResolutionTest {

    /** The CPU variant opened: the baseline x86-64 one, which loads on any x86-64 machine. */
    private static final String CPU_VARIANT = "libggml-cpu-x64.so";

    /**
     * Declared in the pinned headers but defined nowhere in the pinned source (an upstream slip, so
     * calling the binding throws UnsatisfiedLinkError). Kept bound: the binding mirrors the header.
     * The test fails if one of these starts to resolve, so the list cannot go stale.
     */
    private static final Map<String, List<String>> DECLARED_BUT_NOT_DEFINED = Map.of(
            "ggml_cpu_h", List.of("ggml_threadpool_get_n_threads"));

    @Test
    void everyBoundFunctionResolves() throws IOException {
        Path lib = TestEnvironment.nativesDir().resolve("lib");
        List<Path> libraries = librariesToOpen(lib);

        Map<String, List<String>> missing = new TreeMap<>();
        StringBuilder summary = new StringBuilder("resolved symbols per header class:");
        try (Arena arena = Arena.ofConfined()) {
            List<SymbolLookup> lookups = new ArrayList<>();
            for (Path library : libraries) {
                lookups.add(SymbolLookup.libraryLookup(library, arena));
            }
            for (TestEnvironment.Header header : TestEnvironment.HEADERS) {
                List<String> functions = TestEnvironment.boundFunctions(header.headerClass());
                assertFalse(functions.isEmpty(), header.headerClass().getSimpleName() + " binds no function");
                for (String name : functions) {
                    if (lookups.stream().noneMatch(l -> l.find(name).isPresent())) {
                        missing.computeIfAbsent(header.headerClass().getSimpleName(), k -> new ArrayList<>()).add(name);
                    }
                }
                summary.append(' ').append(header.headerClass().getSimpleName()).append('=')
                        .append(functions.size() - missing.getOrDefault(header.headerClass().getSimpleName(), List.of()).size())
                        .append('/').append(functions.size());
            }
        }
        System.out.println(summary + " (libraries: " + libraries.stream().map(Path::getFileName).toList() + ")");
        assertEquals(new TreeMap<>(DECLARED_BUT_NOT_DEFINED), missing,
                "symbols that resolve in none of " + libraries + " vs the known upstream gaps");
    }

    /**
     * The libraries of natives.list in its (load) order, leaving out the CPU variants but one (a variant
     * built for a newer CPU need not even load here, and all variants export the same symbols) and
     * the probe program, which is no library.
     */
    private static List<Path> librariesToOpen(Path lib) throws IOException {
        Path list = lib.resolve("natives.list");
        assertTrue(Files.isRegularFile(list), "no natives.list in " + lib);
        List<Path> libraries = new ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            if (line.isBlank()) {
                continue;
            }
            // sha256sum format: "<hash>  <name>" (or "<hash> *<name>")
            String name = line.trim().split("\\s+", 2)[1].replaceFirst("^\\*", "");
            boolean library = name.endsWith(".so") || name.contains(".so.");
            if (library && (!name.startsWith("libggml-cpu-") || name.equals(CPU_VARIANT))) {
                libraries.add(lib.resolve(name));
            }
        }
        assertTrue(libraries.stream().anyMatch(p -> p.getFileName().toString().equals(CPU_VARIANT)),
                CPU_VARIANT + " is not listed in " + list);
        return libraries;
    }
}
