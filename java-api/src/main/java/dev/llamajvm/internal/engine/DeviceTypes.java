package dev.llamajvm.internal.engine;

/** ggml's {@code enum ggml_backend_dev_type} as {@link dev.llamajvm.NativeRuntime.Device#type()} names it. */
public final class DeviceTypes {

    private static final String[] NAMES = {"cpu", "gpu", "igpu", "accel"};

    private DeviceTypes() {}

    /** "cpu", "gpu", "igpu", "accel", or "other" for a type this version does not know. */
    public static String name(int ggmlDeviceType) {
        return ggmlDeviceType >= 0 && ggmlDeviceType < NAMES.length ? NAMES[ggmlDeviceType] : "other";
    }
}
