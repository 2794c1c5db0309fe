package dev.llamajvm.internal;

import dev.llamajvm.NativeLibraryException;

import java.nio.file.Path;

/**
 * The natives are already loaded in this JVM by another copy of llama-jvm, in another class loader
 * (a second webapp, a redeployed one). The JVM ties a native library to the class loader that
 * loaded it, and llama.cpp keeps process-wide state (its log callback, ggml's backend registry), so
 * a second copy is refused with this message rather than loading a second llama.cpp: no other
 * source is tried, since each would fail the same way.
 */
final class LoadedByAnotherClassLoader extends NativeLibraryException {

    private static final long serialVersionUID = 1L;

    LoadedByAnotherClassLoader(Path library, UnsatisfiedLinkError cause) {
        super("llama-jvm's natives (" + library.getFileName() + ") are already loaded in this JVM by another class"
                + " loader, and the JVM lets one class loader own a native library. Use llama-jvm from one class"
                + " loader per JVM: put its jars where the applications share them (an application server's"
                + " common or shared lib folder, or the JVM's class path) instead of inside each webapp. A"
                + " redeployed webapp that bundles them gets this error until the JVM restarts.", cause);
    }

    /** Whether {@code e} is the JVM's refusal to load a library another class loader owns. */
    static boolean isCause(UnsatisfiedLinkError e) {
        return String.valueOf(e.getMessage()).contains("already loaded in another classloader");
    }
}
