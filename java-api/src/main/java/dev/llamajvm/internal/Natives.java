package dev.llamajvm.internal;

import dev.llamajvm.NativeLibraryException;
import dev.llamajvm.internal.backend.BackendChoice;
import dev.llamajvm.internal.backend.BackendSelector;
import dev.llamajvm.internal.backend.BackendSettings;
import dev.llamajvm.internal.backend.ModuleScorer;
import dev.llamajvm.internal.engine.Engines;
import dev.llamajvm.internal.jni.JniModuleScorer;
import dev.llamajvm.internal.backend.ProbeProgram;
import dev.llamajvm.internal.backend.ProbeVerdicts;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This JVM's natives, loaded once: the libraries ({@link NativeLoader}), then the choice of ggml
 * backend modules ({@link BackendSelector}) that the bindings register. {@link
 * dev.llamajvm.NativeLibraries} is its public face.
 *
 * <p>Thread-safe: concurrent first calls load once; a failed load is not remembered.
 */
public final class Natives {

    /** The Panama engine's in-process {@code ggml_backend_score} caller (Java 22+). */
    private static final String PANAMA_SCORER = "dev.llamajvm.internal.panama.PanamaModuleScorer";

    /**
     * @param folder the folder the natives came from
     * @param platform the natives jar extracted ({@code linux-x86_64-vulkan}), or {@code library path}
     * @param choice the backend modules to register and why
     */
    public record Loaded(Path folder, String platform, BackendChoice choice) {}

    private static volatile Loaded loaded;

    private Natives() {}

    /** Loads the natives unless this JVM already has; throws {@link NativeLibraryException}. */
    public static Loaded load() {
        Loaded done = loaded;
        if (done != null) {
            return done;
        }
        synchronized (Natives.class) {
            if (loaded == null) {
                loaded = loadNow();
            }
            return loaded;
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean MODULES_REGISTERED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * True for the first caller only: the backend modules are registered with ggml once per JVM,
     * by whichever engine's bindings start first (a JVM may use both: the Panama bindings in
     * tools, the JNI engine in the API).
     */
    public static boolean claimModuleRegistration() {
        return MODULES_REGISTERED.compareAndSet(false, true);
    }

    /** The natives, if a load has succeeded. */
    public static Optional<Loaded> ifLoaded() {
        return Optional.ofNullable(loaded);
    }

    private static Loaded loadNow() {
        Platform platform = Platform.current();
        LoaderSettings settings = LoaderSettings.fromSystemProperties();
        LoaderLog log = new LoaderLog(settings.debug());
        NativeLoader loader = new NativeLoader(platform, Natives.class.getClassLoader(), settings, NativeLoader.Linker.SYSTEM);
        Path folder = loader.load();
        NativeManifest manifest = NativeManifest.read(folder);
        Optional<String> program = manifest.entries().stream().filter(NativeManifest.Entry::isProgram)
                .map(NativeManifest.Entry::fileName).findFirst();
        BackendSettings backendSettings = BackendSettings.fromSystemProperties(settings.backend());
        if (program.isEmpty()) {
            // Natives built without the probe (macOS: nothing can be compiled for it here) are used
            // as ggml would use them; saying so once at DEBUG is enough.
            log.step(() -> folder + " has no " + ProbeProgram.NAME + ": backend modules are not test-run");
            backendSettings = backendSettings.withoutProbe();
        }
        BackendChoice choice = new BackendSelector(backendSettings, Natives::score,
                new ProbeProgram(folder.resolve(program.orElse(ProbeProgram.NAME))),
                ProbeVerdicts.forThisMachine(settings.cacheDir()), message -> log.warn(() -> message))
                .choose(folder, manifest);
        log.info(() -> "llama-jvm natives from " + folder + ": " + choice.summary());
        return new Loaded(folder, loader.source(), choice);
    }

    /**
     * The scorer, made on first use (only natives with CPU variants need one), of the engine this
     * JVM runs: both ask in this process.
     */
    private static int score(Path module) {
        ModuleScorer made = scorer;
        if (made == null) {
            scorer = made = Engines.name().equals("jni") ? new JniModuleScorer() : panamaScorer();
        }
        return made.score(module);
    }

    private static ModuleScorer panamaScorer() {
        try {
            return (ModuleScorer) Class.forName(PANAMA_SCORER).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new NativeLibraryException("the Panama engine's classes are missing from this build of llama-jvm"
                    + " (Java " + Runtime.version().feature() + ")", e);
        }
    }

    /** Made by {@link #score} on first use; stateless, so a race makes at most a spare one. */
    private static volatile ModuleScorer scorer;
}
