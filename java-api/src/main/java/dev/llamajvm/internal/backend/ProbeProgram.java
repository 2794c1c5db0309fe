package dev.llamajvm.internal.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@value #NAME}, the program built beside the natives, on one backend module: it loads the
 * module, multiplies every weight type in every buffer type the device offers and checks the
 * results (see {@code native/probe/llama-jvm-probe.cpp}). A module whose code faults kills only
 * that process.
 *
 * <p>Immutable; any thread may use it.
 */
public final class ProbeProgram implements ModuleProbe {

    /** The program's file name in a natives folder ({@code .exe} added on Windows). */
    public static final String NAME = "llama-jvm-probe";

    // A CPU variant takes about 30 ms; a GPU backend's driver may take seconds to start.
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Map<Integer, String> SIGNALS = Map.of(
            4, "SIGILL (an instruction this processor refuses)", 6, "SIGABRT", 7, "SIGBUS",
            8, "SIGFPE", 9, "SIGKILL", 11, "SIGSEGV");

    private final Path program;

    /** @param program the probe program, in the natives folder */
    public ProbeProgram(Path program) {
        this.program = program;
    }

    /** Whether a file is the probe program. */
    public static boolean isProgram(String fileName) {
        return fileName.equals(NAME) || fileName.equals(NAME + ".exe");
    }

    @Override
    public ProbeVerdict probe(Path module) {
        if (!Files.isExecutable(program)) {
            throw new ProbeUnavailableException(program + " is missing or not executable", null);
        }
        Process process;
        try {
            process = new ProcessBuilder(List.of(program.toString(), module.toString()))
                    .directory(program.getParent().toFile())
                    .start();
            process.getOutputStream().close(); // the probe reads nothing
        } catch (IOException e) {
            // The JDK's message runs over many lines of advice; its first says what happened.
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
            throw new ProbeUnavailableException("cannot run " + program + ": " + why, e);
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        drain(process.getInputStream());
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return ProbeVerdict.failed("the probe did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            int exit = process.exitValue();
            if (exit == 0) {
                return ProbeVerdict.PASSED;
            }
            // The JDK reports death by signal N as exit code 128 + N.
            if (exit > 128 && exit < 128 + 32) {
                return ProbeVerdict.failed("the probe died of "
                        + SIGNALS.getOrDefault(exit - 128, "signal " + (exit - 128)));
            }
            return ProbeVerdict.failed("the probe exited with " + exit + lastLine(stderr.join()));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ProbeUnavailableException("interrupted while probing " + module, e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1);
    }
}
