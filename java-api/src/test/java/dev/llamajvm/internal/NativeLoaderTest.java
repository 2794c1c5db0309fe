package dev.llamajvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llamajvm.NativeLibraryException;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLoaderTest {

    private static final Platform LINUX_X64 = new Platform("Linux", "amd64");

    @TempDir
    Path temp;

    /** Records what would be System.load-ed, in order, instead of loading it. */
    private final List<Path> linked = new ArrayList<>();
    private final NativeLoader.Linker recorder = linked::add;
    private final List<URLClassLoader> loaders = new ArrayList<>();

    @AfterEach
    void closeLoaders() throws IOException {
        for (URLClassLoader l : loaders) {
            l.close();
        }
    }

    private URLClassLoader classpathWith(String classifier, Map<String, byte[]> files) throws IOException {
        URLClassLoader l = FakeNatives.loader(FakeNatives.jar(temp.resolve(classifier + ".jar"), classifier, files));
        loaders.add(l);
        return l;
    }

    private URLClassLoader emptyClasspath() {
        URLClassLoader l = FakeNatives.loader();
        loaders.add(l);
        return l;
    }

    private LoaderSettings settings(Path libraryPath) {
        return new LoaderSettings(Optional.ofNullable(libraryPath), temp.resolve("cache"), true);
    }

    private List<String> linkedNames() {
        return linked.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void explicitFolderIsUsedAsIsWithoutExtraction() throws IOException {
        Path folder = FakeNatives.folder(temp.resolve("my-natives"), FakeNatives.files());

        Path result = new NativeLoader(LINUX_X64, classpathWith("linux-x86_64", FakeNatives.files()),
                settings(folder), recorder).load();

        assertEquals(folder, result);
        assertEquals(FakeNatives.LOADED, linkedNames(), "manifest order, backend modules left to ggml");
        linked.forEach(p -> assertEquals(folder, p.getParent()));
        assertFalse(Files.exists(temp.resolve("cache")), "the explicit folder must win without extraction");
    }

    @Test
    void classpathNativesAreExtractedAndLinkedFromTheCache() throws IOException {
        Path result = new NativeLoader(LINUX_X64, classpathWith("linux-x86_64", FakeNatives.files()),
                settings(null), recorder).load();

        assertTrue(result.startsWith(temp.resolve("cache").resolve("natives")), result.toString());
        assertTrue(result.getFileName().toString().startsWith("linux-x86_64-"), result.toString());
        assertEquals(FakeNatives.LOADED, linkedNames());
        linked.forEach(p -> assertEquals(result, p.getParent()));
    }

    @Test
    void wrongExplicitFolderFallsBackToTheClasspath() throws IOException {
        Path result = new NativeLoader(LINUX_X64, classpathWith("linux-x86_64", FakeNatives.files()),
                settings(temp.resolve("does-not-exist")), recorder).load();

        assertTrue(result.startsWith(temp.resolve("cache")), result.toString());
        assertEquals(FakeNatives.LOADED, linkedNames());
    }

    @Test
    void absentClassifierMessageNamesPlatformWhatIsThereAndTheFix() throws IOException {
        NativeLoader loader = new NativeLoader(LINUX_X64, classpathWith("macosx-arm64", FakeNatives.files()),
                settings(null), recorder);

        NativeLibraryException e = assertThrows(NativeLibraryException.class, loader::load);

        String m = e.getMessage();
        assertTrue(m.contains("os.name=Linux") && m.contains("os.arch=amd64"), m);
        assertTrue(m.contains("dev/llamajvm/natives/linux-x86_64/natives.list"), m);
        assertTrue(m.contains("Natives on the classpath: macosx-arm64 "), m);
        assertNotEquals(BuildInfo.UNKNOWN_VERSION, BuildInfo.version(), "build.properties must be filtered");
        assertTrue(m.contains("dev.llamajvm:llama-jvm-natives:" + BuildInfo.version() + ":linux-x86_64"), m);
        assertTrue(m.contains("-Dllama.jvm.library.path=<folder>"), m);
        assertEquals(1, e.getSuppressed().length);
        assertEquals(List.of(), linked);
    }

    @Test
    void everyFailedAttemptIsSuppressedAndNamed() {
        Path wrong = temp.resolve("wrong-folder");
        NativeLoader loader = new NativeLoader(LINUX_X64, emptyClasspath(), settings(wrong), recorder);

        NativeLibraryException e = assertThrows(NativeLibraryException.class, loader::load);

        assertEquals(2, e.getSuppressed().length, Arrays.toString(e.getSuppressed()));
        assertTrue(e.getSuppressed()[0].getMessage().contains(wrong.toString()), e.getSuppressed()[0].getMessage());
        assertTrue(e.getMessage().contains(wrong.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Natives on the classpath: none"), e.getMessage());
    }

    @Test
    void unknownPlatformStillNamesItselfAndTheExplicitFix() {
        NativeLoader loader = new NativeLoader(new Platform("Plan 9", "mips"), emptyClasspath(), settings(null),
                recorder);

        NativeLibraryException e = assertThrows(NativeLibraryException.class, loader::load);

        String m = e.getMessage();
        assertTrue(m.contains("os.name=Plan 9") && m.contains("os.arch=mips"), m);
        assertTrue(m.contains("no natives classifier is known"), m);
        assertTrue(m.contains("-Dllama.jvm.library.path=<folder>"), m);
        assertFalse(m.contains("llama-jvm-natives:"), "there is no artifact to recommend: " + m);
    }

    @Test
    void aGpuJarOnTheClasspathIsPreferredAndForcingCpuTakesTheCpuJar() throws IOException {
        URLClassLoader both = FakeNatives.loader(
                FakeNatives.jar(temp.resolve("cpu.jar"), "linux-x86_64", FakeNatives.files()),
                FakeNatives.jar(temp.resolve("vulkan.jar"), "linux-x86_64-vulkan", FakeNatives.files()));
        loaders.add(both);

        Path preferred = new NativeLoader(LINUX_X64, both, settings(null), recorder).load();
        Path forcedCpu = new NativeLoader(LINUX_X64, both,
                new LoaderSettings(Optional.empty(), temp.resolve("cache"), true, Optional.of("cpu")), recorder).load();

        assertTrue(preferred.getFileName().toString().startsWith("linux-x86_64-vulkan-"), preferred.toString());
        assertTrue(forcedCpu.getFileName().toString().matches("linux-x86_64-[0-9a-f]{16}"), forcedCpu.toString());
    }

    @Test
    void withoutAnNvidiaDriverTheCudaJarIsPassedOverForVulkan() throws IOException {
        assumeFalse(Files.exists(Path.of("/proc/driver/nvidia/version")), "this machine has an NVIDIA driver");
        URLClassLoader gpus = FakeNatives.loader(
                FakeNatives.jar(temp.resolve("cuda.jar"), "linux-x86_64-cuda", FakeNatives.files()),
                FakeNatives.jar(temp.resolve("vk.jar"), "linux-x86_64-vulkan", FakeNatives.files()));
        loaders.add(gpus);

        Path folder = new NativeLoader(LINUX_X64, gpus, settings(null), recorder).load();

        assertTrue(folder.getFileName().toString().startsWith("linux-x86_64-vulkan-"), folder.toString());
    }

    @Test
    void muslLibcIsRefusedWithTheReasonEvenWithGlibcNativesOnTheClasspath() throws IOException {
        Platform alpine = new Platform("Linux", "amd64", Platform.MUSL);
        NativeLoader loader = new NativeLoader(alpine, classpathWith("linux-x86_64", FakeNatives.files()),
                settings(null), recorder);

        NativeLibraryException e = assertThrows(NativeLibraryException.class, loader::load);

        String m = e.getMessage();
        assertTrue(m.contains("musl libc") && m.contains("built against glibc"), m);
        assertTrue(m.contains("Natives on the classpath: linux-x86_64"), m);
        assertEquals(List.of(), linked, "nothing built for glibc may be loaded on musl");
    }

    @Test
    void unloadableLibraryFromTheClasspathNamesTheFileAndKeepsTheLinkError() throws IOException {
        // On a platform without a classifier there is nothing to extract; the explicit test covers it.
        assumeTrue(Platform.current().classifier().isPresent());
        Map<String, byte[]> files = FakeNatives.files();
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        files.put("libggml-base.so.0", noise);

        // The real System.load: random bytes are no shared library on any OS.
        NativeLoader loader = new NativeLoader(Platform.current(),
                classpathWith(Platform.current().classifier().orElseThrow(), files), settings(null),
                NativeLoader.Linker.SYSTEM);

        NativeLibraryException e = assertThrows(NativeLibraryException.class, loader::load);

        assertTrue(e.getMessage().contains("libggml-base.so.0"), e.getMessage());
        assertTrue(hasLinkErrorInside(e), "UnsatisfiedLinkError must be kept as a cause of a suppressed attempt");
    }

    @Test
    void unloadableLibraryInTheExplicitFolderNamesTheFileAndKeepsTheLinkError() throws IOException {
        Map<String, byte[]> files = Map.of("libllama.so.0", new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Path folder = FakeNatives.folder(temp.resolve("broken"), files);

        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> new NativeLoader(
                LINUX_X64, emptyClasspath(), settings(folder), NativeLoader.Linker.SYSTEM).load());

        assertTrue(e.getMessage().contains("libllama.so.0"), e.getMessage());
        assertTrue(hasLinkErrorInside(e));
    }

    @Test
    void afterAPartialLoadNoOtherSourceIsTried() throws IOException {
        Path folder = FakeNatives.folder(temp.resolve("half"), FakeNatives.files());
        NativeLoader.Linker failsOnLlama = library -> {
            if (library.getFileName().toString().equals("libllama.so.0")) {
                throw new UnsatisfiedLinkError("undefined symbol: ggml_something");
            }
            linked.add(library);
        };

        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> new NativeLoader(LINUX_X64,
                classpathWith("linux-x86_64", FakeNatives.files()), settings(folder), failsOnLlama).load());

        assertEquals(List.of("libggml-base.so.0", "libggml.so.0"), linkedNames());
        assertTrue(e.getMessage().contains("undefined symbol: ggml_something"), e.getMessage());
        assertTrue(e.getMessage().contains("not trying other sources"), e.getMessage());
        assertFalse(Files.exists(temp.resolve("cache")), "the classpath must not be tried after a partial load");
        assertTrue(hasLinkErrorInside(e));
    }

    @Test
    void explicitFolderMissingAListedFileNamesIt() throws IOException {
        Path folder = FakeNatives.folder(temp.resolve("incomplete"), FakeNatives.files());
        Files.delete(folder.resolve("libmtmd.so.0"));

        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> new NativeLoader(
                LINUX_X64, emptyClasspath(), settings(folder), recorder).load());

        assertTrue(e.getMessage().contains("libmtmd.so.0"), e.getMessage());
    }

    private static boolean hasLinkErrorInside(NativeLibraryException e) {
        for (Throwable s : e.getSuppressed()) {
            for (Throwable t = s; t != null; t = t.getCause()) {
                if (t instanceof UnsatisfiedLinkError) {
                    return true;
                }
            }
        }
        return false;
    }
}
