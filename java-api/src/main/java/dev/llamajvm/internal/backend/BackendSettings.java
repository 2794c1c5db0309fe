package dev.llamajvm.internal.backend;

import dev.llamajvm.NativeLibraries;
import dev.llamajvm.internal.LoaderSettings;
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

    /**
     * The switches of {@link NativeLibraries}; {@code backend} is the one the loader has read
     * already ({@link LoaderSettings#backend()}), as it picks the natives jar by it too.
     */
    public static BackendSettings fromSystemProperties(Optional<String> backend) {
        return new BackendSettings(backend,
                LoaderSettings.property(NativeLibraries.CPU_VARIANT_PROPERTY).map(v -> v.toLowerCase(Locale.ROOT)),
                LoaderSettings.property(NativeLibraries.PROBE_PROPERTY).map(Boolean::parseBoolean).orElse(true));
    }

    /** These settings with probing off. */
    public BackendSettings withoutProbe() {
        return new BackendSettings(backend, cpuVariant, false);
    }
}
