package dev.llamajvm.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running Jazzer's driver on one target, so that a native crash (an abort or a segfault
 * in llama.cpp) ends the child, not the caller. libFuzzer's signal handlers inside the child write
 * the crashing input to the artifact folder before it dies; the output goes to a log file.
 */
final class ChildJvm {

    private ChildJvm() {}

    /** Runs Jazzer on {@code target} with {@code jazzerArgs}; output to {@code log}; its exit code. */
    static int run(FuzzTarget target, List<String> jazzerArgs, List<String> jvmProperties, Path log, long waitSeconds) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx1g", "-Xss4m", "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + log.resolveSibling(log.getFileName() + ".hs_err_pid%p"),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                // Jazzer attaches its instrumentation agent at run time, which later JDKs refuse by default.
                "-XX:+EnableDynamicAgentLoading"));
        for (String name : FuzzEnvironment.FORWARDED_PROPERTIES) {
            String value = System.getProperty(name, "");
            if (!value.isBlank()) {
                command.add("-D" + name + "=" + value);
            }
        }
        command.addAll(jvmProperties);
        try {
            command.add("-Djava.util.logging.config.file=" + Path.of(testClasses(), "fuzz-logging.properties"));
            command.addAll(List.of("-cp", classPath(), "com.code_intelligence.jazzer.Jazzer",
                    "--target_class=" + target.targetClass().getName(),
                    // Coverage of our code only: the generated bindings are straight-line glue.
                    "--instrumentation_includes=dev.llamajvm.**",
                    "--instrumentation_excludes=dev.llamajvm.bindings.**",
                    "--reproducer_path=" + log.getParent()));
            command.addAll(jazzerArgs);
            Files.createDirectories(log.getParent());
            Process child = new ProcessBuilder(command).directory(FuzzEnvironment.workDir().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!child.waitFor(waitSeconds, TimeUnit.SECONDS)) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly().waitFor();
                throw new IllegalStateException("the " + target.id() + " child JVM did not end within "
                        + waitSeconds + " s; see " + log);
            }
            return child.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the " + target.id() + " child ran", e);
        }
    }

    /** This module's test classes and every dependency (the fuzz pom writes the list to a file). */
    private static String classPath() throws IOException {
        return testClasses() + java.io.File.pathSeparator
                + Files.readString(Path.of(property("llama.jvm.fuzz.classpath.file"))).strip();
    }

    private static String testClasses() {
        return property("llama.jvm.fuzz.test.classes");
    }

    private static String property(String name) {
        String value = System.getProperty(name, "");
        if (value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (the fuzz pom sets it)");
        }
        return value;
    }
}
