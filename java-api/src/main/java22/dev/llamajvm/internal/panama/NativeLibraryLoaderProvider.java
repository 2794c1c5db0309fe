package dev.llamajvm.internal.panama;

import dev.llamajvm.bindings.NativeLibraryLoader;
import dev.llamajvm.internal.Natives;
import dev.llamajvm.internal.engine.NativeLog;
import java.nio.file.Path;
import java.util.List;

/**
 * The bindings' {@link NativeLibraryLoader}, which their {@code NativeLookup} finds by name (not
 * as a service: see there); it hands the work to {@link Natives}, so the bindings and the API
 * share one load per JVM.
 *
 * <p>Stateless; any thread may use it.
 */
public final class NativeLibraryLoaderProvider implements NativeLibraryLoader {

    /** Called by the bindings' {@code NativeLookup}, which names this class. */
    public NativeLibraryLoaderProvider() {
    }

    @Override
    public List<Path> loadLibraries() {
        return Natives.load().choice().modules();
    }

    @Override
    public boolean claimModuleRegistration() {
        return Natives.claimModuleRegistration();
    }

    @Override
    public void log(int level, String text) {
        NativeLog.onLog(level, text);
    }
}
