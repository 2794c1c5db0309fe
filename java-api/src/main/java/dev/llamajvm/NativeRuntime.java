package dev.llamajvm;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What this JVM runs llama.cpp on, for logs and bug reports: {@link NativeLibraries#describe()}.
 * Its {@link #toString()} is a few lines to paste into an issue.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param platform the natives classifier in use ({@code linux-x86_64}), or {@code library path}
 *     when {@value NativeLibraries#LIBRARY_PATH_PROPERTY} named the folder
 * @param folder the folder the natives were loaded from
 * @param backend the backend that computes: {@code cpu}, {@code cuda}, {@code vulkan}, ...
 * @param cpuVariant ggml's CPU variant in use ({@code zen4}, {@code haswell}), if the natives have variants
 * @param choice how the choice was made ({@code probed}, {@code verdict cached}, {@code forced by ...})
 * @param skipped each backend module passed over, with the reason
 * @param devices the devices ggml sees, in its order
 * @param engine how Java calls llama.cpp: {@code panama} (java.lang.foreign, Java 22+) or {@code jni}
 *     (JavaCPP's JNI bindings, any Java from 17 on); see the system property {@code llama.jvm.engine}
 */
public record NativeRuntime(String platform, Path folder, String backend, Optional<String> cpuVariant,
                            String choice, List<String> skipped, List<Device> devices, String engine) {

    public NativeRuntime {
        skipped = List.copyOf(skipped);
        devices = List.copyOf(devices);
    }

    /**
     * One device ggml can compute on.
     *
     * @param name ggml's device name ({@code CPU}, {@code CUDA0}, {@code Vulkan0})
     * @param description what the device says it is (the processor or GPU model)
     * @param type {@code cpu}, {@code gpu}, {@code igpu} (integrated) or {@code accel}
     * @param freeBytes memory free on the device, as its driver reports it
     * @param totalBytes the device's memory
     */
    public record Device(String name, String description, String type, long freeBytes, long totalBytes) {}

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("llama-jvm natives: ").append(platform).append(", backend ").append(backend);
        cpuVariant.ifPresent(v -> s.append(", CPU variant ").append(v));
        s.append(" (").append(choice).append("), engine ").append(engine).append(" on Java ")
                .append(Runtime.version().feature()).append("\n  from ").append(folder);
        skipped.forEach(reason -> s.append("\n  skipped ").append(reason));
        for (Device d : devices) {
            s.append("\n  device ").append(d.name()).append(" (").append(d.type()).append("): ").append(d.description())
                    .append(", ").append(d.freeBytes() >> 20).append(" of ").append(d.totalBytes() >> 20).append(" MiB free");
        }
        return s.toString();
    }
}
