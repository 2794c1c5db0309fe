package dev.llamajvm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamajvm.NativeLibraryException;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeExtractorTest {

    private static final String CLASSIFIER = "linux-x86_64";

    @TempDir
    Path temp;

    private Path cache;
    private Map<String, byte[]> files;
    private URLClassLoader loader;

    @BeforeEach
    void setUp() throws IOException {
        cache = temp.resolve("cache");
        files = FakeNatives.files();
        loader = FakeNatives.loader(FakeNatives.jar(temp.resolve("natives.jar"), CLASSIFIER, files));
    }

    @AfterEach
    void tearDown() throws IOException {
        loader.close();
    }

    private NativeExtractor extractor() {
        return new NativeExtractor(loader, cache, new LoaderLog(false));
    }

    @Test
    void firstExtractionWritesEveryFileIntoAVersionedFolder() throws IOException {
        NativeExtractor.Extraction x = extractor().extract(CLASSIFIER);

        String manifestHash = Sha256.of(FakeNatives.manifest(files).getBytes(StandardCharsets.UTF_8));
        assertEquals(cache.resolve("natives").resolve(CLASSIFIER + "-" + manifestHash.substring(0, 16))
                .toAbsolutePath(), x.folder());
        assertEquals(FakeNatives.NAMES, x.written());
        assertFilesMatch(x.folder());
        assertEquals(FakeNatives.manifest(files), Files.readString(x.folder().resolve("natives.list")));
        try (Stream<Path> s = Files.list(x.folder())) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".part")), "temp files left behind");
        }
    }

    @Test
    void secondExtractionRewritesNothing() throws IOException {
        Path folder = extractor().extract(CLASSIFIER).folder();
        // An old, distinctive time: a rewrite would show even on a file system with coarse timestamps.
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Map<String, Object> keys = new HashMap<>();
        List<String> all = new ArrayList<>(FakeNatives.NAMES);
        all.add("natives.list");
        for (String name : all) {
            Files.setLastModifiedTime(folder.resolve(name), old);
            keys.put(name, fileKey(folder.resolve(name)));
        }

        NativeExtractor.Extraction again = extractor().extract(CLASSIFIER);

        assertEquals(folder, again.folder());
        assertEquals(List.of(), again.written());
        for (String name : all) {
            assertEquals(old, Files.getLastModifiedTime(folder.resolve(name)), name);
            assertEquals(keys.get(name), fileKey(folder.resolve(name)), name);
        }
    }

    @Test
    void corruptedFileIsExtractedAgainAndOnlyIt() throws IOException {
        Path folder = extractor().extract(CLASSIFIER).folder();
        Object untouchedKey = fileKey(folder.resolve("libggml.so.0"));
        FakeNatives.write(folder.resolve("libllama.so.0"), "truncated".getBytes(StandardCharsets.UTF_8));

        NativeExtractor.Extraction again = extractor().extract(CLASSIFIER);

        assertEquals(List.of("libllama.so.0"), again.written());
        assertFilesMatch(folder);
        assertEquals(untouchedKey, fileKey(folder.resolve("libggml.so.0")));
    }

    @Test
    void deletedFileIsExtractedAgain() throws IOException {
        Path folder = extractor().extract(CLASSIFIER).folder();
        Files.delete(folder.resolve("libggml-cpu-x64.so"));

        assertEquals(List.of("libggml-cpu-x64.so"), extractor().extract(CLASSIFIER).written());
        assertFilesMatch(folder);
    }

    @Test
    void concurrentExtractionsBothSucceedAndWriteEachFileOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                cache = temp.resolve("cache-" + round);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<NativeExtractor.Extraction>> results = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    NativeExtractor extractor = extractor();
                    results.add(pool.submit(() -> {
                        start.await();
                        return extractor.extract(CLASSIFIER);
                    }));
                }
                NativeExtractor.Extraction a = results.get(0).get();
                NativeExtractor.Extraction b = results.get(1).get();

                assertEquals(a.folder(), b.folder());
                assertFilesMatch(a.folder());
                // The lock serialises them: whoever comes second finds everything in place.
                List<String> written = new ArrayList<>(a.written());
                written.addAll(b.written());
                assertEquals(FakeNatives.NAMES.size(), written.size(), "files written: " + written);
                assertEquals(FakeNatives.NAMES.size(), written.stream().distinct().count(), "files written: " + written);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewBuildGoesToANewFolder() throws IOException {
        Path first = extractor().extract(CLASSIFIER).folder();
        files.put("libllama.so.0", "another build".getBytes(StandardCharsets.UTF_8));
        loader.close();
        loader = FakeNatives.loader(FakeNatives.jar(temp.resolve("natives-2.jar"), CLASSIFIER, files));

        Path second = extractor().extract(CLASSIFIER).folder();

        assertNotEquals(first, second);
        assertFilesMatch(second);
        assertArrayEquals(FakeNatives.content("libllama.so.0"), Files.readAllBytes(first.resolve("libllama.so.0")));
    }

    @Test
    void jarFileNotMatchingTheManifestFailsNamingTheFile() throws IOException {
        String manifest = FakeNatives.manifest(files);
        Map<String, byte[]> tampered = new HashMap<>(files);
        tampered.put("libllama.so.0", "tampered".getBytes(StandardCharsets.UTF_8));
        loader.close();
        loader = FakeNatives.loader(FakeNatives.jar(temp.resolve("bad.jar"), CLASSIFIER, tampered, manifest));

        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> extractor().extract(CLASSIFIER));

        assertTrue(e.getMessage().contains("libllama.so.0"), e.getMessage());
        assertTrue(e.getMessage().contains(Sha256.of(FakeNatives.content("libllama.so.0"))), e.getMessage());
        try (Stream<Path> s = Files.walk(cache)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains("libllama.so.0")),
                    "a file that fails its hash must not stay in the cache");
        }
    }

    @Test
    void listedFileMissingFromTheJarFailsNamingTheFile() throws IOException {
        String manifest = FakeNatives.manifest(files);
        files.remove("libmtmd.so.0");
        loader.close();
        loader = FakeNatives.loader(FakeNatives.jar(temp.resolve("short.jar"), CLASSIFIER, files, manifest));

        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> extractor().extract(CLASSIFIER));

        assertTrue(e.getMessage().contains("libmtmd.so.0"), e.getMessage());
    }

    @Test
    void malformedManifestInTheJarFailsNamingTheResource() throws IOException {
        loader.close();
        loader = FakeNatives.loader(FakeNatives.jar(temp.resolve("malformed.jar"), CLASSIFIER, files,
                "not a manifest line\n"));

        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> extractor().extract(CLASSIFIER));

        assertTrue(e.getMessage().contains("dev/llamajvm/natives/linux-x86_64/natives.list"), e.getMessage());
        assertTrue(e.getMessage().contains("not a manifest line"), e.getMessage());
    }

    @Test
    void absentClassifierFailsNamingTheResource() {
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> extractor().extract("linux-x86_64-cuda"));

        assertTrue(e.getMessage().contains("dev/llamajvm/natives/linux-x86_64-cuda/natives.list"), e.getMessage());
    }

    private void assertFilesMatch(Path folder) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(folder.resolve(f.getKey())), f.getKey());
        }
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }
}
