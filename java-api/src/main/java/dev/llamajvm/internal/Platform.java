package dev.llamajvm.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The operating system and CPU this JVM reports, and the natives classifier that matches them.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param osName the {@code os.name} value, as reported
 * @param osArch the {@code os.arch} value, as reported
 */
public record Platform(String osName, String osArch) {

    /**
     * Every classifier a natives jar may carry (platform, then backend extension, JavaCPP style).
     * The error message probes each one so it can say what IS on the classpath.
     */
    public static final List<String> KNOWN_CLASSIFIERS = List.of(
            "linux-x86_64", "linux-x86_64-vulkan", "linux-x86_64-cuda", "linux-arm64",
            "macosx-arm64", "macosx-x86_64", "windows-x86_64");

    /** The platform of the running JVM. */
    public static Platform current() {
        return new Platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * The CPU natives classifier for this platform (for example {@code linux-x86_64}), or empty when
     * no natives are built for it. GPU variants are never returned here: they are extensions a
     * caller picks on top of this base.
     */
    public Optional<String> classifier() {
        String os = normaliseOs(osName);
        String arch = normaliseArch(osArch);
        if (os == null || arch == null) {
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
