package dev.llamajvm.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a new JVM with this one's class path and {@code llama.jvm.*}
 * properties, so that a native crash there is a result to assert on, not the end of the test run.
 * Its address space can be limited ({@code ulimit -v}): allocations past the limit then fail
 * whatever the kernel's overcommit policy, so a test of running out of memory never wakes the
 * OOM killer on a shared machine. It can be started through an emulator ({@code qemu-x86_64 -cpu
 * ...}) and given properties and environment variables of its own.
 *
 * <p>A builder: one instance describes one launch; not thread-safe.
 */
public final class ChildJvm {

    /** How the child ended: its exit code (128 + the signal when a signal killed it) and output. */
    public record Result(int exitCode, String output) {
        /** Killed by a signal (SIGABRT from a llama.cpp assert, SIGSEGV, ...). */
        public boolean crashed() {
            return exitCode > 128;
        }
    }

    private final Class<?> mainClass;
    private final List<String> launcher = new ArrayList<>();
    private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Map<String, String> properties = new TreeMap<>();
    private final Map<String, String> environment = new HashMap<>();
    private long addressSpaceBytes;
    private Duration timeout = Duration.ofMinutes(5);

    private ChildJvm(Class<?> mainClass) {
        this.mainClass = mainClass;
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("llama.jvm."))
                .forEach(name -> properties.put(name, System.getProperty(name)));
    }

    /** A child that runs {@code mainClass}. */
    public static ChildJvm of(Class<?> mainClass) {
        return new ChildJvm(mainClass);
    }

    /** Runs {@code mainClass} with {@code args}, its virtual memory limited to {@code addressSpaceBytes} (0: none). */
    public static Result run(Class<?> mainClass, long addressSpaceBytes, Duration timeout, String... args)
            throws IOException, InterruptedException {
        return of(mainClass).addressSpace(addressSpaceBytes).timeout(timeout).run(args);
    }

    /** Starts the JVM through this command (an emulator and its options). */
    public ChildJvm launcher(List<String> command) {
        launcher.addAll(command);
        return this;
    }

    /** Runs this {@code java} instead of this JVM's own (another architecture's, under an emulator). */
    public ChildJvm java(Path executable) {
        java = executable;
        return this;
    }

    /** Sets a system property over this JVM's {@code llama.jvm.*} ones; an empty value removes one. */
    public ChildJvm property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    /** Sets an environment variable of the child; an empty value removes it. */
    public ChildJvm environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Limits the child's address space (0: no limit). */
    public ChildJvm addressSpace(long bytes) {
        addressSpaceBytes = bytes;
        return this;
    }

    /** How long the child may run before the test fails. */
    public ChildJvm timeout(Duration limit) {
        timeout = limit;
        return this;
    }

    /** Runs the child to its end, stdout and stderr together. */
    public Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                addressSpaceBytes > 0 ? "ulimit -v " + addressSpaceBytes / 1024 + " && exec \"$0\" \"$@\"" : "exec \"$0\" \"$@\""));
        command.addAll(launcher);
        command.add(java.toString());
        // Small reservations, so the JVM itself fits in a tight address space.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=64m",
                "-XX:CompressedClassSpaceSize=64m", "--enable-native-access=ALL-UNNAMED"));
        properties.forEach((name, value) -> {
            if (!value.isEmpty()) {
                command.add("-D" + name + "=" + value);
            }
        });
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("child-jvm", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("MALLOC_ARENA_MAX", "2"); // glibc reserves 64 MiB of address space per arena
            environment.forEach((name, value) -> {
                if (value.isEmpty()) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            Process process = builder.start();
            boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!ended) {
                throw new AssertionError("the child JVM ran past " + timeout + ":\n" + output);
            }
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
