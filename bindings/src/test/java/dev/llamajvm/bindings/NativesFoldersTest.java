package dev.llamajvm.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every natives folder a jar is made from, against its manifest and the bindings: each listed file
 * has the listed sha256 and is built for the jar's processor and binary format, the libraries export
 * every function the bindings bind (the Windows and macOS jars, node-llama-cpp's prebuilt libraries
 * alone, lack exactly libmtmd and our shim), and every library they need is in the folder or part
 * of the system. Read with LLVM's tools, so it also checks natives this machine cannot load.
 */
class NativesFoldersTest {

    /** Declared in the pinned headers, defined nowhere (see SymbolResolutionTest). */
    private static final Set<String> DECLARED_BUT_NOT_DEFINED = Set.of("ggml_threadpool_get_n_threads");

    /** The header classes of what the prebuilt-only jars cannot have: libmtmd and our shim. */
    private static final Set<Class<?>> MTMD_AND_SHIM = Set.of(mtmd_h.class, mtmd_helper_h.class,
            llama_jvm_chat_h.class, llama_jvm_guard_h.class, llama_jvm_memory_h.class, llama_jvm_abort_h.class);

    /** What the operating system (or, for Windows, the Visual C++ runtime) provides. */
    private static final Pattern SYSTEM_LIBRARY = Pattern.compile(
            "(lib(c|m|dl|pthread|rt|stdc\\+\\+|gcc_s|gomp|vulkan|cuda)\\.so\\.\\d+|ld-linux-.*)"     // Linux (libcuda: the driver)
            + "|(/usr/lib/.*|/System/Library/.*)"                                                   // macOS
            + "|((kernel32|advapi32|shell32|ws2_32|user32|ole32|bcrypt|ntdll|ucrtbase|msvcp140"      // Windows
            + "|vcruntime140(_1)?|api-ms-win-.*)\\.dll)", Pattern.CASE_INSENSITIVE);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "llama.jvm.natives.dir, ELF, x86_64, true",
        "llama.jvm.vulkan.natives.dir, ELF, x86_64, true",
        "llama.jvm.arm64.natives.dir, ELF, arm64, true",
        "llama.jvm.cuda.natives.dir, ELF, x86_64, true",
        "llama.jvm.macos.natives.dir, MACHO, arm64, false",
        "llama.jvm.windows.natives.dir, PE, x86_64, false"})
    void filesMatchTheirManifestAndTheBindings(String property, Format format, String cpu, boolean complete)
            throws Exception {
        Path lib = TestEnvironment.requiredDir(property).resolve("lib");
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(lib.resolve("natives.list"))) {
            if (!line.isBlank()) {
                String[] parts = line.trim().split("\\s+", 2);
                String name = parts[1].replaceFirst("^\\*", "");
                names.add(name);
                assertEquals(parts[0], sha256(lib.resolve(name)), name + " does not match natives.list");
                assertEquals(format.name() + " " + cpu, format.kind(lib.resolve(name)), name);
            }
        }
        assertTrue(names.stream().anyMatch(n -> n.matches("(lib)?ggml-cpu-.*")), "no CPU variant in " + names);

        // Every library but ggml's backend modules, plus one CPU variant (ggml-cpu.h's functions live there).
        String variant = names.stream().filter(n -> n.matches("(lib)?ggml-cpu-.*")).findFirst().orElseThrow();
        Set<String> exported = new TreeSet<>();
        Set<String> fileNames = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        fileNames.addAll(names);
        for (String name : names) {
            boolean module = name.matches("(lib)?ggml-(?!base)[a-z]+.*\\.(so|dll)") && !name.equals(variant);
            boolean runtime = name.matches("lib(cudart|cublas|cublasLt)\\.so.*");
            if (!module && !runtime && !name.startsWith("llama-jvm-probe")) {
                exported.addAll(format.exports(lib.resolve(name)));
            }
            if (!name.startsWith("llama-jvm-probe")) {
                for (String needed : format.dependencies(lib.resolve(name))) {
                    String file = needed.replaceFirst("^@rpath/", "");
                    assertTrue(fileNames.contains(file) || SYSTEM_LIBRARY.matcher(needed).matches(),
                            name + " needs " + needed + ", which is neither in the jar nor a system library");
                }
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
        Set<String> expectedMissing = new TreeSet<>();
        if (!complete) {
            MTMD_AND_SHIM.forEach(c -> expectedMissing.add(c.getSimpleName()));
        }
        assertEquals(expectedMissing, missing.keySet(), "headers with functions no library in " + lib + " exports: " + missing);
    }

    /** The binary formats, each read with the LLVM tool that knows it. */
    enum Format {
        ELF, MACHO, PE;

        /** "ELF x86_64", "MACHO arm64", ... from the file's own header. */
        String kind(Path file) throws IOException {
            ByteBuffer header = ByteBuffer.wrap(head(file, 512)).order(ByteOrder.LITTLE_ENDIAN);
            return switch (this) {
                case ELF -> header.getInt(0) == 0x464C457F ? "ELF " + cpu(header.getShort(18) & 0xFFFF, 0x3E, 0xB7) : "not ELF";
                case MACHO -> header.getInt(0) == 0xFEEDFACF ? "MACHO " + cpu(header.getInt(4), 0x01000007, 0x0100000C) : "not Mach-O";
                case PE -> {
                    int pe = (header.getShort(0) & 0xFFFF) == 0x5A4D ? header.getInt(0x3C) : -1;
                    yield pe > 0 && pe < 508 && header.getInt(pe) == 0x4550 ? "PE " + cpu(header.getShort(pe + 4) & 0xFFFF, 0x8664, 0xAA64) : "not PE";
                }
            };
        }

        private static String cpu(int machine, int x86, int arm) {
            return machine == x86 ? "x86_64" : machine == arm ? "arm64" : "machine 0x" + Integer.toHexString(machine);
        }

        /** The names of the functions a library exports, without Mach-O's leading underscore. */
        List<String> exports(Path library) throws Exception {
            return switch (this) {
                case ELF -> tool("llvm-nm", "-D", "--defined-only", "--format=posix", library.toString())
                        .lines().map(l -> l.split(" ", 2)[0]).toList();
                case MACHO -> tool("llvm-nm", "--extern-only", "--defined-only", "--format=posix", library.toString())
                        .lines().map(l -> l.split(" ", 2)[0]).map(n -> n.startsWith("_") ? n.substring(1) : n).toList();
                case PE -> matches(tool("llvm-readobj", "--coff-exports", library.toString()), "(?m)^\\s+Name: (\\S+)$");
            };
        }

        /** The libraries a file asks its dynamic linker for. */
        List<String> dependencies(Path library) throws Exception {
            return switch (this) {
                case ELF -> matches(tool("llvm-readobj", "--needed-libs", library.toString()), "(?m)^\\s+(\\S+\\.so\\S*)$");
                case MACHO -> matches(tool("llvm-objdump", "--macho", "--dylibs-used", library.toString()),
                        "(?m)^\\s+(\\S+) \\(compatibility").stream()
                        .filter(d -> !d.equals("@rpath/" + library.getFileName())).toList();
                case PE -> matches(tool("llvm-readobj", "--coff-imports", library.toString()), "(?m)^  Name: (\\S+)$");
            };
        }
    }

    private static List<String> matches(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String tool(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
        return output;
    }

    private static byte[] head(Path file, int bytes) throws IOException {
        byte[] head = new byte[bytes];
        try (InputStream in = Files.newInputStream(file)) {
            in.readNBytes(head, 0, bytes);
        }
        return head;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).toLowerCase(Locale.ROOT);
    }
}
