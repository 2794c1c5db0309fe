package dev.llamajvm.internal.backend;

import dev.llamajvm.NativeLibraries;
import java.util.Locale;
import java.util.Optional;

/**
 * The switches of backend choice, read once from system properties.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param backend {@value NativeLibraries#BACKEND_PROPERTY}: the backend to use, no other tried
 * @param cpuVariant {@value NativeLibraries#CPU_VARIANT_PROPERTY}: the CPU variant to use, unprobed
 * @param probe {@value NativeLibraries#PROBE_PROPERTY}: whether modules are test-run in a child
 *     process before this JVM loads one (default true)
 */
public record BackendSettings(Optional<String> backend, Optional<String> cpuVariant, boolean probe) {

    public static final BackendSettings DEFAULTS = new BackendSettings(Optional.empty(), Optional.empty(), true);

    public static BackendSettings fromSystemProperties() {
        return new BackendSettings(
                property(NativeLibraries.BACKEND_PROPERTY).map(v -> v.toLowerCase(Locale.ROOT)),
                property(NativeLibraries.CPU_VARIANT_PROPERTY).map(v -> v.toLowerCase(Locale.ROOT)),
                property(NativeLibraries.PROBE_PROPERTY).map(Boolean::parseBoolean).orElse(true));
    }

    private static Optional<String> property(String name) {
        return Optional.ofNullable(System.getProperty(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
