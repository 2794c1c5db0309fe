package dev.llamajvm.internal;

import dev.llamajvm.NativeLibraries;
import dev.llamajvm.NativeLibraryException;
import java.util.List;
import java.util.Optional;

/**
 * Turns the failed attempts of one load into the exception the user sees: what was looked for on
 * which OS/arch, what each attempt hit, which natives ARE on the classpath, and the fix.
 *
 * <p>Stateless; any thread may use it.
 */
final class LoadFailure {

    private LoadFailure() {
    }

    /**
     * @param attempts every failed attempt, in order; each becomes a suppressed exception
     * @param resources the class loader the natives were looked up in, probed for every known classifier
     */
    static NativeLibraryException of(Platform platform, ClassLoader resources, List<NativeLibraryException> attempts) {
        Optional<String> classifier = platform.classifier();
        String version = BuildInfo.version();
        List<String> found = Platform.KNOWN_CLASSIFIERS.stream()
                .filter(c -> resources.getResource(NativeExtractor.manifestResource(c)) != null)
                .toList();

        StringBuilder m = new StringBuilder("Could not load llama.cpp's native libraries for os.name=")
                .append(platform.osName()).append(", os.arch=").append(platform.osArch()).append(" (natives classifier ")
                .append(classifier.orElse("<none: no natives are built for this platform>")).append(").");
        if (platform.isMusl()) {
            m.append("\nThis JVM runs on musl libc (Alpine, say): llama-jvm's natives are built against glibc and"
                    + " are not supported there; use a glibc-based image (Debian, Ubuntu, Red Hat UBI), or build"
                    + " the natives on musl yourself and pass their folder as -D")
                    .append(NativeLibraries.LIBRARY_PATH_PROPERTY).append('.');
        }
        for (int i = 0; i < attempts.size(); i++) {
            m.append("\n  attempt ").append(i + 1).append(": ").append(attempts.get(i).getMessage());
        }
        m.append("\nNatives on the classpath: ").append(found.isEmpty() ? "none" : String.join(", ", found))
                .append(" (looked for ").append(String.join(", ", Platform.KNOWN_CLASSIFIERS)).append(").");
        m.append("\nFix: ");
        if (classifier.isPresent()) {
            m.append("add the dependency dev.llamajvm:llama-jvm-natives:").append(version).append(':')
                    .append(classifier.get()).append(" (Maven: <classifier>").append(classifier.get())
                    .append("</classifier>), or ");
        }
        m.append("pass -D").append(NativeLibraries.LIBRARY_PATH_PROPERTY)
                .append("=<folder> naming a folder that holds ").append(NativeManifest.FILE_NAME)
                .append(" and the libraries it lists (the lib/ folder of native/scripts/build-natives.sh's output).");
        m.append(" Set -D").append(NativeLibraries.DEBUG_LOADER_PROPERTY).append("=true to log each step.");

        NativeLibraryException failure = new NativeLibraryException(m.toString());
        // netty's habit: keep every attempt, with its own cause, rather than only the last one.
        attempts.forEach(failure::addSuppressed);
        return failure;
    }
}
