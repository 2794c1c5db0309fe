package dev.llamajvm.internal.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The backend modules chosen for this JVM and why.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param modules the modules to register with ggml, in order (a GPU backend first, the CPU
 *     variant last); empty when the natives have no modules (ggml's CPU backend built in)
 * @param backend the backend that computes: {@code cpu}, {@code cuda}, {@code vulkan}, ...
 * @param cpuVariant the CPU variant registered, if the natives have variants
 * @param how how the CPU variant was settled: {@code probed}, {@code verdict cached}, forced, ...
 * @param skipped each module passed over, with the reason ({@code cpu-sapphirerapids: the probe died of SIGILL})
 */
public record BackendChoice(List<Path> modules, String backend, Optional<String> cpuVariant, String how,
                            List<String> skipped) {

    public BackendChoice {
        modules = List.copyOf(modules);
        skipped = List.copyOf(skipped);
    }

    /** One line for the log and for bug reports. */
    public String summary() {
        StringBuilder s = new StringBuilder("backend ").append(backend);
        cpuVariant.ifPresent(v -> s.append(", CPU variant ").append(v));
        s.append(" (").append(how).append(')');
        if (!skipped.isEmpty()) {
            s.append("; skipped ").append(String.join("; ", skipped));
        }
        return s.toString();
    }
}
