package dev.llamajvm.internal.jni;

import dev.llamajvm.NativeLibraryException;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.NativeManifest;
import dev.llamajvm.internal.Natives;
import dev.llamajvm.internal.engine.NativeLog;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The JNI engine's natives: the llama.cpp libraries (loaded by {@link Natives}, as for Panama),
 * then the JNI glue JavaCPP generated (libjnillamajvm), the log callback, the backend modules the
 * loader chose, and llama_backend_init. Also the engine's three upcalls, one instance each for the
 * JVM's life: JavaCPP caps the callback instances of a type at ten, and a context or load names
 * its own receiver through the callback's user-data pointer instead.
 *
 * <p>JavaCPP's own library loader is not used: it would look for the glue in its own jar layout
 * and cache. Its static initialisers are told not to load anything while ours loads the glue, so
 * natives jars, their cache and their checks stay the loader's.
 */
final class JniRuntime {

    private static final String LOAD_LIBRARIES = "org.bytedeco.javacpp.loadlibraries";
    private static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    /** Receivers of the abort and progress upcalls, by the address of their user-data token. */
    private static final Map<Long, BooleanSupplier> ABORT_CHECKS = new ConcurrentHashMap<>();
    private static final Map<Long, dev.llamajvm.internal.engine.ProgressRelay> PROGRESS = new ConcurrentHashMap<>();

    private static volatile boolean loaded;
    private static Llama.ggml_log_callback log;
    private static Llama.ggml_abort_callback abort;
    private static Llama.llama_progress_callback progress;

    private JniRuntime() {}

    /** Loads everything once per JVM; throws {@link NativeLibraryException}. */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        Natives.Loaded natives = Natives.load();
        Path folder = natives.folder();
        loadGlueOf(folder);
        log = new Llama.ggml_log_callback() {
            @Override
            public void call(int level, BytePointer text, Pointer userData) {
                // An exception leaving a JavaCPP callback becomes a C++ one inside llama.cpp: none may.
                try {
                    NativeLog.onLog(level, text == null || text.isNull() ? "" : JniStrings.read(text));
                } catch (Throwable lost) {
                    // a lost log line is the lesser harm
                }
            }
        };
        Llama.llama_log_set(log, null);
        Llama.mtmd_helper_log_set(log, null);
        abort = new Llama.ggml_abort_callback() {
            @Override
            public boolean call(Pointer data) {
                try {
                    BooleanSupplier check = data == null ? null : ABORT_CHECKS.get(data.address());
                    return check != null && check.getAsBoolean();
                } catch (Throwable t) {
                    return true; // the check could not answer: stop rather than let it reach C
                }
            }
        };
        progress = new Llama.llama_progress_callback() {
            @Override
            public boolean call(float value, Pointer userData) {
                try {
                    dev.llamajvm.internal.engine.ProgressRelay relay =
                            userData == null ? null : PROGRESS.get(userData.address());
                    return relay == null || relay.onProgress(value);
                } catch (Throwable t) {
                    return false; // cancels the load; the relay keeps what its listener threw
                }
            }
        };
        if (Natives.claimModuleRegistration()) {
            registerBackends(natives.choice().modules());
        }
        Llama.llama_backend_init();
        loaded = true;
    }

    private static Path glueLoaded;

    /**
     * Loads the JNI glue of the natives in {@code folder} once (the llama.cpp libraries must be
     * loaded already): the engine needs it, and so does choosing a CPU variant, which happens first.
     */
    static synchronized void loadGlueOf(Path folder) {
        if (glueLoaded == null) {
            NativeManifest.Entry glue = NativeManifest.read(folder).jniGlue().orElseThrow(() -> new NativeLibraryException(
                    "the natives in " + folder + " carry no JNI glue (libjnillamajvm): the JNI engine cannot run on"
                            + " them on Java " + Runtime.version().feature()
                            + "; on Java 22 or newer the Panama engine can (-Dllama.jvm.engine=panama)"));
            loadGlue(folder.resolve(glue.fileName()));
            glueLoaded = folder;
        }
    }

    private static void loadGlue(Path library) {
        // JavaCPP refuses every allocation once the process's resident memory passes a limit (by
        // default the Java heap's size times four), counting the model and caches llama.cpp holds:
        // with a 1B model and a small heap, each token's buffers would be an OutOfMemoryError (seen
        // in the soak). Unless the application set the limit, there is none.
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase()) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
        String previous = System.getProperty(LOAD_LIBRARIES);
        System.setProperty(LOAD_LIBRARIES, "false");
        try {
            System.load(library.toString());
            // Each generated class calls JavaCPP's loader when it initialises: all of them now,
            // while it is told not to load, since it would look for the glue where it is not.
            ClassLoader loader = JniRuntime.class.getClassLoader();
            Class.forName(Llama.class.getName(), true, loader);
            for (Class<?> type : Llama.class.getDeclaredClasses()) {
                Class.forName(type.getName(), true, loader);
            }
        } catch (UnsatisfiedLinkError | ClassNotFoundException | ExceptionInInitializerError e) {
            throw new NativeLibraryException("the JNI engine could not load its glue " + library + " on Java "
                    + Runtime.version().feature() + ": " + e, e);
        } finally {
            if (previous == null) {
                System.clearProperty(LOAD_LIBRARIES);
            } else {
                System.setProperty(LOAD_LIBRARIES, previous);
            }
        }
    }

    /**
     * ggml's backends (a CPU variant, a GPU backend) are plugins registered at run time; the loader
     * chose which. A GPU backend that cannot load must not stop the CPU computing; without the CPU
     * backend nothing can.
     */
    private static void registerBackends(List<Path> modules) {
        for (Path module : modules) {
            try (BytePointer path = JniStrings.utf8(module.toAbsolutePath().toString())) {
                if (Llama.ggml_backend_load(path) == null) {
                    if (!module.getFileName().toString().contains("ggml-cpu")) {
                        System.getLogger("dev.llamajvm.natives").log(System.Logger.Level.WARNING,
                                "ggml could not load the backend module " + module + "; the CPU computes");
                        continue;
                    }
                    throw new NativeLibraryException("ggml could not load its CPU backend module " + module);
                }
            }
        }
    }

    static Llama.ggml_abort_callback abortCallback() {
        return abort;
    }

    static Llama.llama_progress_callback progressCallback() {
        return progress;
    }

    /** A token for a receiver: native memory whose address names it until {@link #release}d. */
    static Pointer registerAbortCheck(BooleanSupplier check) {
        Pointer token = new BytePointer(1L);
        ABORT_CHECKS.put(token.address(), check);
        return token;
    }

    static Pointer registerProgress(dev.llamajvm.internal.engine.ProgressRelay relay) {
        Pointer token = new BytePointer(1L);
        PROGRESS.put(token.address(), relay);
        return token;
    }

    /** Forgets the receiver of a token and frees it; the native side must no longer call with it. */
    static void release(Pointer token) {
        ABORT_CHECKS.remove(token.address());
        PROGRESS.remove(token.address());
        token.close();
    }
}
