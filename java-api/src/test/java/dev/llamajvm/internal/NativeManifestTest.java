package dev.llamajvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamajvm.NativeLibraryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NativeManifestTest {

    private static final String A = "a".repeat(64);
    private static final String B = "0123456789abcdef".repeat(4);

    @Test
    void parsesSha256sumOutputInOrder() {
        NativeManifest m = NativeManifest.parse(A + "  libggml-base.so.0\n" + B + "  libllama.so.0\n", "test");

        assertEquals(List.of(new NativeManifest.Entry(A, "libggml-base.so.0"),
                new NativeManifest.Entry(B, "libllama.so.0")), m.entries());
    }

    @Test
    void acceptsBinaryModeCrlfUpperCaseAndBlankLines() {
        NativeManifest m = NativeManifest.parse(
                "\n" + B.toUpperCase() + " *libllama.so.0\r\n\r\n" + A + "  libmtmd.so.0", "test");

        assertEquals(List.of(new NativeManifest.Entry(B, "libllama.so.0"),
                new NativeManifest.Entry(A, "libmtmd.so.0")), m.entries());
    }

    @Test
    void librariesToLoadSkipsGgmlBackendModules() {
        NativeManifest m = NativeManifest.parse(FakeNatives.manifest(FakeNatives.files()), "test");

        assertEquals(FakeNatives.NAMES, m.entries().stream().map(NativeManifest.Entry::fileName).toList());
        assertEquals(FakeNatives.LOADED, m.librariesToLoad().stream().map(NativeManifest.Entry::fileName).toList());
        assertTrue(new NativeManifest.Entry(A, "libggml-cpu-haswell.so").isBackendModule());
        assertFalse(new NativeManifest.Entry(A, "libggml.so.0").isBackendModule());
        assertTrue(new NativeManifest.Entry(A, "libcublasLt.so.12").isModuleDependency());
        assertTrue(new NativeManifest.Entry(A, "cudart64_12.dll").isModuleDependency());
        assertFalse(new NativeManifest.Entry(A, "libllama.so.0").isModuleDependency());
        assertTrue(new NativeManifest.Entry(A, "llama-jvm-probe").isProgram());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "abc  libllama.so.0",                                              // short hash
        "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg  libllama.so.0", // not hex
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa libllama.so.0",  // one space
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  ",               // no name
        "libllama.so.0",                                                   // no hash
    })
    void rejectsMalformedLineNamingSourceAndLine(String bad) {
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> NativeManifest.parse(A + "  libggml.so.0\n" + bad + "\n", "jar:x!/natives.list"));

        assertTrue(e.getMessage().contains("natives.list"), e.getMessage());
        assertTrue(e.getMessage().contains("jar:x!/natives.list"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains(bad.strip()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../libevil.so", "sub/libllama.so.0", "sub\\ggml.dll", ".lock", " libllama.so.0"})
    void rejectsFileNamesThatCouldLeaveOrClashInTheFolder(String name) {
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> NativeManifest.parse(A + "  " + name + "\n", "test"));

        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void rejectsDuplicateAndEmptyManifests() {
        NativeLibraryException twice = assertThrows(NativeLibraryException.class,
                () -> NativeManifest.parse(A + "  libllama.so.0\n" + B + "  libllama.so.0\n", "test"));
        assertTrue(twice.getMessage().contains("libllama.so.0") && twice.getMessage().contains("twice"),
                twice.getMessage());

        NativeLibraryException empty = assertThrows(NativeLibraryException.class,
                () -> NativeManifest.parse("\n\n", "test"));
        assertTrue(empty.getMessage().contains("no files"), empty.getMessage());
    }

    @Test
    void readingAFolderWithoutManifestNamesThePath(@TempDir Path dir) {
        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> NativeManifest.read(dir));

        assertTrue(e.getMessage().contains(dir.resolve("natives.list").toString()), e.getMessage());
    }
}
