package dev.llamajvm.internal;

import dev.llamajvm.NativeLibraries;
import dev.llamajvm.NativeLibraryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the documented load order once: (1) the explicit folder of {@code llama.jvm.library.path},
 * used as is; (2) the detected platform's natives jar on the classpath, extracted by
 * {@link NativeExtractor}. Each listed library but ggml's backend modules goes to the
 * {@link Linker} in manifest order.
 *
 * <p>Everything it touches is passed in (platform, class loader, settings, linker) so tests can run
 * it against fake natives. One instance serves one {@link #load()} call on one thread; the public
 * facade {@link NativeLibraries} makes loading once per JVM thread-safe.
 */
public final class NativeLoader {

    /** Loads one shared library; {@link #SYSTEM} in production. */
    @FunctionalInterface
    public interface Linker {

        /** Loads the library at an absolute path, or throws {@link UnsatisfiedLinkError}. */
        void link(Path library);

        /**
         * {@link System#load}. A lambda, not {@code System::load}: System.load ties the library to
         * its caller's class loader, and {@code SymbolLookup.loaderLookup()} in the bindings only
         * sees libraries of its own loader, so the caller must be a class of ours.
         */
        Linker SYSTEM = library -> System.load(library.toString());
    }

    /** Present where the NVIDIA kernel driver is loaded (Linux). */
    private static final Path NVIDIA_DRIVER = Path.of("/proc/driver/nvidia/version");

    private final Platform platform;
    private final ClassLoader resources;
    private final LoaderSettings settings;
    private final Linker linker;
    private final LoaderLog log;
    /** Libraries linked so far by this instance; once it is non-zero, no other source may be tried. */
    private int linked;
    /** Where the loaded natives came from: the natives jar's classifier, or {@code library path}. */
    private String source = "";

    public NativeLoader(Platform platform, ClassLoader resources, LoaderSettings settings, Linker linker) {
        this.platform = platform;
        this.resources = resources;
        this.settings = settings;
        this.linker = linker;
        this.log = new LoaderLog(settings.debug());
    }

    /**
     * Finds and loads the natives.
     *
     * @return the folder holding them (ggml's backend modules included)
     * @throws NativeLibraryException naming the platform, each failed attempt (also attached as
     *     suppressed exceptions), the natives found on the classpath and the fix
     */
    public Path load() {
        log.step(() -> "loading natives for os.name=" + platform.osName() + ", os.arch=" + platform.osArch()
                + ", classifier " + platform.classifier().orElse("<none>"));
        List<NativeLibraryException> failures = new ArrayList<>();

        Optional<Path> explicit = settings.libraryPath();
        if (explicit.isPresent()) {
            Path folder = explicit.get().toAbsolutePath().normalize();
            try {
                log.step(() -> NativeLibraries.LIBRARY_PATH_PROPERTY + " is set; using " + folder + " as is");
                linkAll(folder, NativeManifest.read(folder));
                source = "library path";
                return folder;
            } catch (LoadedByAnotherClassLoader e) {
                throw e;
            } catch (NativeLibraryException e) {
                failures.add(new NativeLibraryException(
                        NativeLibraries.LIBRARY_PATH_PROPERTY + "=" + explicit.get() + ": " + e.getMessage(), e));
                stopIfPartlyLoaded(failures);
                log.warn(() -> NativeLibraries.LIBRARY_PATH_PROPERTY + "=" + explicit.get()
                        + " could not be used (" + e.getMessage() + "); trying the classpath");
            }
        }

        Optional<String> classifier = platform.classifier();
        if (classifier.isEmpty()) {
            failures.add(new NativeLibraryException("classpath: no natives classifier is known for os.name="
                    + platform.osName() + ", os.arch=" + platform.osArch()));
        } else {
            String jar = jarToExtract(classifier.get());
            try {
                NativeExtractor.Extraction extraction =
                        new NativeExtractor(resources, settings.cacheDir(), log).extract(jar);
                log.step(() -> "extraction wrote " + extraction.written().size() + " of "
                        + extraction.manifest().entries().size() + " files");
                linkAll(extraction.folder(), extraction.manifest());
                source = jar;
                return extraction.folder();
            } catch (LoadedByAnotherClassLoader e) {
                throw e;
            } catch (NativeLibraryException e) {
                failures.add(new NativeLibraryException("classpath " + jar + ": " + e.getMessage(), e));
            }
        }
        throw LoadFailure.of(platform, resources, failures);
    }

    /** After a successful {@link #load()}: the natives jar's classifier, or {@code library path}. */
    public String source() {
        return source;
    }

    /**
     * The natives jar to extract for this platform: a GPU jar when one is on the classpath (CUDA
     * before Vulkan; each holds the CPU variants too, so the CPU stays the fallback when its GPU
     * backend cannot run), else the CPU jar. The CUDA jar (about 900 MB extracted) is taken only
     * where an NVIDIA driver is loaded, so a machine with another GPU still gets the Vulkan jar. A
     * backend forced by property picks its own jar first.
     */
    private String jarToExtract(String cpuJar) {
        List<String> order = new ArrayList<>();
        settings.backend().ifPresent(b -> order.add(b.equals("cpu") ? cpuJar : cpuJar + "-" + b));
        if (Files.exists(NVIDIA_DRIVER)) {
            order.add(cpuJar + "-cuda");
        } else {
            log.step(() -> "no NVIDIA driver (" + NVIDIA_DRIVER + "): not using a CUDA natives jar");
        }
        order.addAll(List.of(cpuJar + "-vulkan", cpuJar));
        String jar = order.stream()
                .filter(c -> resources.getResource(NativeExtractor.manifestResource(c)) != null)
                .findFirst().orElse(cpuJar);
        log.step(() -> "natives jars looked for, in order: " + order + "; using " + jar);
        return jar;
    }

    private void linkAll(Path folder, NativeManifest manifest) {
        for (NativeManifest.Entry entry : manifest.librariesToLoad()) {
            Path library = folder.resolve(entry.fileName());
            // Checked first because UnsatisfiedLinkError's text for a missing file varies by OS.
            if (!Files.isRegularFile(library)) {
                throw new NativeLibraryException(entry.fileName() + " is listed in " + NativeManifest.FILE_NAME
                        + " but " + library + " does not exist");
            }
            try {
                linker.link(library);
            } catch (UnsatisfiedLinkError e) {
                if (LoadedByAnotherClassLoader.isCause(e)) {
                    throw new LoadedByAnotherClassLoader(library, e);
                }
                throw new NativeLibraryException("System.load(" + library + ") failed for " + entry.fileName()
                        + ": " + e.getMessage(), e);
            }
            linked++;
            log.step(() -> "loaded " + library);
        }
    }

    /**
     * Once some libraries of one source are loaded, loading another source's copies of the rest would
     * mix two builds in one process (same sonames, different code), so the load stops here.
     */
    private void stopIfPartlyLoaded(List<NativeLibraryException> failures) {
        if (linked > 0) {
            failures.add(new NativeLibraryException("not trying other sources: " + linked
                    + " libraries of the first one are already loaded into this process, and mixing two"
                    + " builds would crash; fix that source or remove it"));
            throw LoadFailure.of(platform, resources, failures);
        }
    }
}
