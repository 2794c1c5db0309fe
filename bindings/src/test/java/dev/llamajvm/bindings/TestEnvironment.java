package dev.llamajvm.bindings;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the tests of this module need from outside the JVM, and the one rule for when it is missing:
 * locally the test is skipped with a message saying what to pass; under CI (environment variable
 * {@code CI=true}) it fails, so a misconfigured build cannot go green by skipping everything.
 */
final class TestEnvironment {

    /** The headers we bind, each with its header class: llama.cpp's seven, then our shim's two. */
    static final List<Header> HEADERS = List.of(
            new Header(Root.SOURCE, "include/llama.h", llama_h.class),
            new Header(Root.SOURCE, "ggml/include/ggml.h", ggml_h.class),
            new Header(Root.SOURCE, "ggml/include/ggml-backend.h", ggml_backend_h.class),
            new Header(Root.SOURCE, "ggml/include/ggml-cpu.h", ggml_cpu_h.class),
            new Header(Root.SOURCE, "ggml/include/gguf.h", gguf_h.class),
            new Header(Root.SOURCE, "tools/mtmd/mtmd.h", mtmd_h.class),
            new Header(Root.SOURCE, "tools/mtmd/mtmd-helper.h", mtmd_helper_h.class),
            new Header(Root.REPOSITORY, "native/shim/llama-jvm-chat.h", llama_jvm_chat_h.class),
            new Header(Root.REPOSITORY, "native/shim/llama-jvm-guard.h", llama_jvm_guard_h.class),
            new Header(Root.REPOSITORY, "native/shim/llama-jvm-memory.h", llama_jvm_memory_h.class),
            new Header(Root.REPOSITORY, "native/shim/llama-jvm-abort.h", llama_jvm_abort_h.class));

    /** Where a header lives: in the pinned llama.cpp source, or in this repository. */
    enum Root {
        SOURCE, REPOSITORY;

        Path dir() {
            return this == SOURCE ? sourceDir() : requiredDir("llama.jvm.repo.dir");
        }
    }

    record Header(Root root, String relativePath, Class<?> headerClass) {
        String fileName() {
            return Path.of(relativePath).getFileName().toString();
        }

        Path file() {
            return root.dir().resolve(relativePath);
        }
    }

    /** Include folders the headers need. */
    static List<Path> includeDirs() {
        Path source = sourceDir();
        return List.of(source.resolve("include"), source.resolve("ggml/include"), source.resolve("tools/mtmd"),
                Root.REPOSITORY.dir().resolve("native/shim"));
    }

    private TestEnvironment() {
    }

    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the test (locally) or fails it (on CI) unless {@code present}. */
    static void require(boolean present, String whatIsMissing) {
        if (present) {
            return;
        }
        if (onCi()) {
            fail(whatIsMissing + " (CI=true, so this is a failure, not a skip)");
        }
        assumeTrue(false, whatIsMissing + "; skipping");
    }

    /** The folder named by system property {@code property}, which must exist when it is set. */
    static Path requiredDir(String property) {
        String value = System.getProperty(property, "");
        require(!value.isBlank(), "system property " + property + " is not set (pass -D" + property + "=...)");
        Path dir = Path.of(value);
        assertTrue(Files.isDirectory(dir), property + " names " + dir + ", which is not a folder");
        return dir;
    }

    /** The pinned llama.cpp source tree ({@code llama.jvm.source.dir}). */
    static Path sourceDir() {
        return requiredDir("llama.jvm.source.dir");
    }

    /** The built natives' output folder ({@code llama.jvm.natives.dir}); the libraries are under lib/. */
    static Path nativesDir() {
        return requiredDir("llama.jvm.natives.dir");
    }

    /** Whether {@code command} can be run from the PATH. */
    static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every class of this package as compiled (top-level and nested), listed from the folder or jar
     * that {@link llama_h} was loaded from, so new generated classes are picked up without a list.
     */
    static List<Class<?>> packageClasses() {
        String pkg = llama_h.class.getPackageName();
        try {
            Path root = Path.of(llama_h.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = root.resolve(pkg.replace('.', '/'));
            assertTrue(Files.isDirectory(dir), "compiled classes of " + pkg + " are not a folder: " + dir);
            List<Class<?>> classes = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".class") && !name.equals("package-info.class")) {
                        String binaryName = pkg + "." + name.substring(0, name.length() - ".class".length());
                        classes.add(Class.forName(binaryName, false, llama_h.class.getClassLoader()));
                    }
                }
            }
            return classes;
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new AssertionError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the C functions a header class binds: those with a {@code name$descriptor()} companion. */
    static List<String> boundFunctions(Class<?> headerClass) {
        return Stream.of(headerClass.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .filter(n -> n.endsWith("$descriptor"))
                .map(n -> n.substring(0, n.length() - "$descriptor".length()))
                .distinct()
                .sorted()
                .toList();
    }
}
