package dev.llamajvm.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds natives folders, classpath roots and jars full of fake libraries (a few bytes each, never
 * loadable), so loader tests need neither a native build nor System.load. Used by one test thread.
 */
final class FakeNatives {

    /** Shaped like the real CPU build: SONAME libraries plus ggml CPU backend modules. */
    static final List<String> NAMES = List.of(
            "libggml-base.so.0", "libggml.so.0", "libggml-cpu-x64.so", "libggml-cpu-haswell.so",
            "libllama.so.0", "libmtmd.so.0");

    /** NAMES without the backend modules, in manifest order: what the loader must System.load. */
    static final List<String> LOADED = List.of("libggml-base.so.0", "libggml.so.0", "libllama.so.0", "libmtmd.so.0");

    private FakeNatives() {
    }

    /** Distinct bytes per name, so a mixed-up file shows. */
    static byte[] content(String name) {
        return ("fake native " + name + "\n").repeat(50).getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        NAMES.forEach(n -> files.put(n, content(n)));
        return files;
    }

    static String manifest(Map<String, byte[]> files) {
        StringBuilder s = new StringBuilder();
        files.forEach((name, bytes) -> s.append(Sha256.of(bytes)).append("  ").append(name).append('\n'));
        return s.toString();
    }

    /** A natives folder as build-natives.sh makes it: the files plus natives.list. */
    static Path folder(Path folder, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(folder);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(folder.resolve(f.getKey()), f.getValue());
        }
        Files.writeString(folder.resolve(NativeManifest.FILE_NAME), manifest(files));
        return folder;
    }

    /** A natives jar for {@code classifier}, laid out as the platform module packages it. */
    static Path jar(Path jar, String classifier, Map<String, byte[]> files, String manifestText) throws IOException {
        String base = NativeExtractor.resourceFolder(classifier);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, base + NativeManifest.FILE_NAME, manifestText.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                put(out, base + f.getKey(), f.getValue());
            }
        }
        return jar;
    }

    static Path jar(Path jar, String classifier, Map<String, byte[]> files) throws IOException {
        return jar(jar, classifier, files, manifest(files));
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    /**
     * A class loader over the given jars only. Its parent is the bootstrap loader, so the real natives
     * on the test classpath stay invisible.
     */
    static URLClassLoader loader(Path... jars) {
        URL[] urls = Stream.of(jars).map(FakeNatives::url).toArray(URL[]::new);
        return new URLClassLoader(urls, null);
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, byte[] bytes) {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
