package dev.llamajvm.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find what lies outside the module: the shared test models, llama.cpp's own tools and
 * the pinned source. Absent data skips a test with the reason, except under CI (CI=true), where
 * it fails: CI must run every test.
 */
public final class TestEnvironment {

    private TestEnvironment() {}

    /** A file under ../shared/models (e.g. stories260K.gguf). */
    public static Path sharedModel(String fileName) {
        Path shared = folder("llama.jvm.shared.dir", "the shared test data folder (../shared)");
        return file(shared.resolve("models").resolve(fileName));
    }

    /** One of llama.cpp's tools built from the pinned source (llama-completion, llama-bench, ...). */
    public static Path tool(String name) {
        return file(folder("llama.jvm.tools.dir", "llama.cpp's tools (native/scripts/build-natives.sh --tools)").resolve(name));
    }

    /** The natives of the vulkan preset (native/scripts/build-natives.sh --preset vulkan), their lib/ folder. */
    public static Path vulkanNatives() {
        return folder("llama.jvm.vulkan.natives.dir", "the Vulkan natives (build-natives.sh --preset vulkan)").resolve("lib");
    }

    /** The linux-arm64 natives (native/scripts/build-natives.sh --preset linux-arm64), their lib/ folder. */
    public static Path arm64Natives() {
        return folder("llama.jvm.arm64.natives.dir", "the linux-arm64 natives (build-natives.sh --preset linux-arm64)").resolve("lib");
    }

    /** The linux-x86_64-cuda natives (native/scripts/build-natives.sh --preset linux-x86_64-cuda), their lib/ folder. */
    public static Path cudaNatives() {
        return folder("llama.jvm.cuda.natives.dir", "the CUDA natives (build-natives.sh --preset linux-x86_64-cuda)")
                .resolve("lib");
    }

    /** The windows-x86_64 natives (native/scripts/build-natives.sh --preset windows-x86_64), their lib/ folder. */
    public static Path windowsNatives() {
        return folder("llama.jvm.windows.natives.dir", "the Windows natives (build-natives.sh --preset windows-x86_64)")
                .resolve("lib");
    }

    /** A Linux arm64 root with a JDK (scripts/arm64-sysroot.sh), for runs under qemu-aarch64. */
    public static Path arm64Root() {
        return folder("llama.jvm.arm64.root", "the arm64 root with a JDK (scripts/arm64-sysroot.sh)");
    }

    /** The pinned llama.cpp source (native/scripts/materialize-source.sh prints it). */
    public static Path llamaSource() {
        return folder("llama.jvm.source.dir", "the pinned llama.cpp source");
    }

    /** A program on the PATH (qemu-x86_64, gcc); the project's scripts install the ones tests need. */
    public static Path command(String name) {
        Path found = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, name);
            if (candidate != null && Files.isExecutable(candidate)) {
                found = candidate;
                break;
            }
        }
        require(found != null, name + " is not on the PATH; ./test.sh installs it");
        return found;
    }

    /** Debian's wine64 loader, which its package installs outside the PATH. */
    public static Path wine64() {
        Path debian = Path.of("/usr/lib/wine/wine64");
        return Files.isExecutable(debian) ? debian : command("wine64");
    }

    private static Path folder(String property, String what) {
        String value = System.getProperty(property, "");
        Path path = value.isBlank() ? null : Path.of(value);
        require(path != null && Files.isDirectory(path), what + " is not available (system property " + property
                + " = '" + value + "'); run the README's test command");
        return path;
    }

    private static Path file(Path path) {
        require(Files.isRegularFile(path), path + " does not exist");
        return path;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("required under CI: " + message);
            }
            Assumptions.abort(message);
        }
    }
}
