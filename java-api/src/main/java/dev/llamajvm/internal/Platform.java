package dev.llamajvm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The operating system and CPU this JVM reports, and the natives classifier that matches them.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param osName the {@code os.name} value, as reported
 * @param osArch the {@code os.arch} value, as reported
 * @param libc on Linux, the C library this JVM runs on ({@value #GLIBC} or {@value #MUSL}); empty elsewhere
 */
public record Platform(String osName, String osArch, String libc) {

    public static final String GLIBC = "glibc";
    public static final String MUSL = "musl";

    /** A platform whose C library is the usual one for its OS (glibc on Linux). */
    public Platform(String osName, String osArch) {
        this(osName, osArch, osName.toLowerCase(Locale.ROOT).startsWith("linux") ? GLIBC : "");
    }

    /**
     * Every classifier a natives jar may carry (platform, then backend extension, JavaCPP style).
     * The error message probes each one so it can say what IS on the classpath.
     */
    public static final List<String> KNOWN_CLASSIFIERS = List.of(
            "linux-x86_64", "linux-x86_64-vulkan", "linux-x86_64-cuda", "linux-arm64",
            "macosx-arm64", "macosx-x86_64", "windows-x86_64");

    /** The platform of the running JVM. */
    public static Platform current() {
        String osName = System.getProperty("os.name", "");
        String osArch = System.getProperty("os.arch", "");
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new Platform(osName, osArch, "");
        }
        return new Platform(osName, osArch, runsOnMusl() ? MUSL : GLIBC);
    }

    /** Whether this process's dynamic loader is musl's (Alpine): its mappings name {@code ld-musl-*}. */
    private static boolean runsOnMusl() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.anyMatch(line -> line.contains("/ld-musl-") || line.contains("/libc.musl-"));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Whether this is Linux on musl, for which no natives are built. */
    public boolean isMusl() {
        return MUSL.equals(libc);
    }

    /**
     * The CPU natives classifier for this platform (for example {@code linux-x86_64}), or empty when
     * no natives are built for it. GPU variants are never returned here: they are extensions a
     * caller picks on top of this base.
     */
    public Optional<String> classifier() {
        String os = normaliseOs(osName);
        String arch = normaliseArch(osArch);
        if (os == null || arch == null || isMusl()) {
            return Optional.empty();
        }
        String classifier = os + "-" + arch;
        // A well-formed pair we never build for (windows-arm64, say) is as absent as an unknown OS.
        return KNOWN_CLASSIFIERS.contains(classifier) ? Optional.of(classifier) : Optional.empty();
    }

    private static String normaliseOs(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return "linux";
        }
        if (n.startsWith("mac") || n.startsWith("darwin")) {
            return "macosx";
        }
        if (n.startsWith("windows")) {
            return "windows";
        }
        return null;
    }

    private static String normaliseArch(String arch) {
        // JDKs disagree: Linux/Windows JDKs say amd64 and aarch64, macOS JDKs say x86_64 and aarch64,
        // some builds say arm64.
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> null;
        };
    }
}
