package dev.llamajvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llamajvm.bindings.NativeLibraryLoader;
import dev.llamajvm.internal.NativeExtractor;
import dev.llamajvm.internal.panama.NativeLibraryLoaderProvider;
import dev.llamajvm.internal.NativeManifest;
import dev.llamajvm.internal.Platform;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The public facade against the real natives jar on the test classpath (where this platform has one). */
class NativeLibrariesTest {

    /**
     * java-api declares no service (its loader is under META-INF/versions/22, which a Java 17 module
     * path would refuse as a service); the bindings name it, and load the natives through it.
     */
    @Test
    void bindingsLoadTheNativesThroughTheApisLoaderWithoutAService() {
        assertEquals(List.of(), ServiceLoader.load(NativeLibraryLoader.class).stream().map(p -> p.type().getName()).toList());
        assertTrue(dev.llamajvm.bindings.NativeLookup.lookup().find("llama_backend_init").isPresent());
        assertTrue(NativeLibraries.isLoaded(), "the bindings' first lookup loaded the natives through java-api's loader");
    }

    @Test
    void loadsTheRealNativesOnceForAllThreads() throws Exception {
        String classifier = Platform.current().classifier().orElse("<none>");
        assumeTrue(NativeLibraries.class.getClassLoader().getResource(NativeExtractor.manifestResource(classifier)) != null
                        || System.getProperty(NativeLibraries.LIBRARY_PATH_PROPERTY) != null,
                "no natives for " + classifier + " on the test classpath");

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Path> folders = new ArrayList<>();
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit((Callable<Path>) NativeLibraries::load));
            }
            for (Future<Path> r : results) {
                folders.add(r.get());
            }
        } finally {
            pool.shutdownNow();
        }

        Path folder = folders.get(0);
        folders.forEach(f -> assertEquals(folder, f));
        assertTrue(NativeLibraries.isLoaded());
        assertEquals(folder, NativeLibraries.load());
        // The bindings register the chosen modules: one CPU variant, from this folder.
        List<Path> modules = new NativeLibraryLoaderProvider().loadLibraries();
        assertEquals(1, modules.stream().filter(m -> m.getFileName().toString().startsWith("libggml-cpu-")).count(),
                modules.toString());
        modules.forEach(m -> assertEquals(folder, m.getParent()));
        // Loaded with System.load from our class loader, so Panama's loader lookup (what the bindings
        // use) sees the symbols.
        assertTrue(SymbolLookup.loaderLookup().find("llama_backend_init").isPresent());
        NativeManifest.read(folder).entries().forEach(e -> assertTrue(Files.isRegularFile(folder.resolve(e.fileName())),
                e.fileName()));
    }

    @Test
    void describesTheBackendTheVariantAndTheDevices() {
        String classifier = Platform.current().classifier().orElse("<none>");
        assumeTrue(NativeLibraries.class.getClassLoader().getResource(NativeExtractor.manifestResource(classifier)) != null
                        || System.getProperty(NativeLibraries.LIBRARY_PATH_PROPERTY) != null,
                "no natives for " + classifier + " on the test classpath");

        NativeRuntime runtime = NativeLibraries.describe();

        assertEquals("cpu", runtime.backend(), runtime.toString());
        assertEquals(NativeLibraries.load(), runtime.folder());
        String variant = runtime.cpuVariant().orElseThrow();
        assertTrue(Files.isRegularFile(runtime.folder().resolve("libggml-cpu-" + variant + ".so")), variant);
        assertTrue(runtime.devices().stream().anyMatch(d -> d.type().equals("cpu") && d.totalBytes() > 0),
                runtime.toString());
        assertTrue(runtime.toString().contains("CPU variant " + variant), runtime.toString());
    }
}
