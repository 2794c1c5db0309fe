package dev.llamajvm.internal;

import dev.llamajvm.LlamaException;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.ModelLoadException;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.NativeLibraries;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link ModelOptions#verifyInChildProcess(boolean)}: loads a model in a child JVM, so that a file
 * llama.cpp aborts on kills the child, not this JVM. The child is this class's {@link #main}: the same
 * Java, this library's class path, the natives this JVM loaded and its {@code llama.jvm.*} system
 * properties. Any thread; each call starts its own child.
 */
public final class ChildProcessLoad {

    /** Lines of the child's output a failure carries (the assert message is among the last). */
    private static final int TAIL_LINES = 40;

    private ChildProcessLoad() {}

    /**
     * Loads {@code path} in a child JVM with {@code options}' GPU layers and vocabulary-only setting,
     * memory-mapped, and returns if the child finished, whether or not llama.cpp accepted the file.
     *
     * @throws ModelLoadException if the child died (exit status and output tail attached), could not
     *                            start, or this thread was interrupted while waiting (the child is then killed)
     */
    public static void verify(Path path, ModelOptions options) {
        Process child;
        try {
            ProcessBuilder builder = new ProcessBuilder(command(path, options)).redirectErrorStream(true);
            builder.environment().put("GGML_NO_BACKTRACE", "1"); // ggml would attach gdb to print one
            child = builder.start();
        } catch (IOException e) {
            throw new ModelLoadException("could not start a child JVM to verify " + path, e);
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> keepTail(child, tail), "llama-jvm child load output");
        reader.setDaemon(true);
        reader.start();
        int status;
        try {
            status = child.waitFor();
            reader.join();
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ModelLoadException("interrupted while a child JVM verified " + path, e);
        }
        if (status != 0) {
            List<String> output;
            synchronized (tail) {
                output = List.copyOf(tail);
            }
            throw new ModelLoadException(failure(path, status) + ": not loading it in this JVM", output);
        }
    }

    private static void keepTail(Process child, Deque<String> tail) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // The child is gone or was killed: its exit status tells what happened.
        }
    }

    /** Java reports a child killed by signal N as exit status 128 + N. */
    private static String failure(Path path, int status) {
        return status > 128 && status < 160
                ? "loading " + path + " killed the child JVM that verified it (exit status " + status + ", signal " + (status - 128) + ")"
                : "the child JVM that verified " + path + " failed (exit status " + status + ")";
    }

    private static List<String> command(Path path, ModelOptions options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:TieredStopAtLevel=1"); // a short life: start fast
        command.add("-XX:+UseSerialGC");
        command.add("-XX:-CreateCoredumpOnCrash");
        command.add("-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "llama-jvm-child-hs_err_%p.log"));
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("llama.jvm.") && !name.equals(NativeLibraries.LIBRARY_PATH_PROPERTY)) {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        // The very natives this JVM uses, as a folder: no second extraction, no classpath search.
        command.add("-D" + NativeLibraries.LIBRARY_PATH_PROPERTY + "=" + NativeLibraries.load());
        command.add("-cp");
        command.add(classPath());
        command.add(ChildProcessLoad.class.getName());
        command.add(path.toAbsolutePath().toString());
        command.add(Integer.toString(options.gpuLayers()));
        command.add(Boolean.toString(options.vocabOnly()));
        return command;
    }

    /**
     * This library and what its engine needs (the Panama bindings, or the JNI bindings and
     * JavaCPP): the classes whose jars the child's class path lists.
     */
    private static List<Class<?>> engineClasses() throws ClassNotFoundException {
        ClassLoader loader = ChildProcessLoad.class.getClassLoader();
        if (dev.llamajvm.internal.engine.Engines.name().equals("jni")) {
            return List.of(ChildProcessLoad.class, Class.forName("dev.llamajvm.bindings.jni.Llama", false, loader),
                    Class.forName("org.bytedeco.javacpp.Pointer", false, loader));
        }
        return List.of(ChildProcessLoad.class, Class.forName("dev.llamajvm.internal.panama.PanamaEngine", false, loader),
                Class.forName("dev.llamajvm.bindings.NativeLookup", false, loader));
    }

    /** Where this library's classes and its bindings come from; the JVM's class path if unknown. */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        try {
            for (Class<?> type : engineClasses()) {
                CodeSource source = type.getProtectionDomain().getCodeSource();
                if (source == null || source.getLocation() == null) {
                    return System.getProperty("java.class.path");
                }
                entries.add(Path.of(source.getLocation().toURI()).toString());
            }
        } catch (ReflectiveOperationException | java.net.URISyntaxException | IllegalArgumentException e) {
            return System.getProperty("java.class.path");
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /**
     * The child: loads the model and exits 0 whether llama.cpp accepted it or refused it with an error
     * (the parent then loads it itself and reports that error); it exits otherwise only if it dies.
     */
    public static void main(String[] args) {
        Path path = Path.of(args[0]);
        ModelOptions options = ModelOptions.defaults().gpuLayers(Integer.parseInt(args[1]))
                .vocabOnly(Boolean.parseBoolean(args[2])).mmap(true);
        try {
            NativeLibraries.load();
            dev.llamajvm.internal.engine.Engine.get();
        } catch (LlamaException | LinkageError e) {
            // The child could not even try: that proves nothing about the file, so it must not pass.
            System.out.println("the natives or the engine failed to start: " + e);
            System.exit(3);
        }
        try (LlamaModel model = LlamaModel.load(path, options)) {
            System.out.println("loaded " + model.info().architecture());
        } catch (LlamaException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
