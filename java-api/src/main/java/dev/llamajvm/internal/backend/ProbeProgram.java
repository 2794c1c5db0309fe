package dev.llamajvm.internal.backend;

import dev.llamajvm.NativeLibraryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Signals raised by the module's own code: its verdict is kept (SIGILL, SIGBUS, SIGFPE, SIGSEGV). */
    private static final Set<Integer> FAULTS = Set.of(4, 7, 8, 11);

    /** The probe's exit code for products that came out wrong. */
    private static final int EXIT_WRONG_RESULTS = 4;

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
        Path errors;
        Process process;
        try {
            // stderr to a file, stdout nowhere: nothing here can block on a pipe the probe (or a
            // process it left behind) keeps open, so the timeout below always holds.
            errors = Files.createTempFile("llama-jvm-probe", ".log");
        } catch (IOException e) {
            throw new ProbeUnavailableException("cannot create a temporary file: " + e.getMessage(), e);
        }
        try {
            try {
                process = new ProcessBuilder(List.of(program.toString(), module.toString()))
                        .directory(program.getParent().toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(errors.toFile())
                        .start();
                process.getOutputStream().close(); // the probe reads nothing
            } catch (IOException e) {
                // The JDK's message runs over many lines of advice; its first says what happened.
                String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
                throw new ProbeUnavailableException("cannot run " + program + ": " + why, e);
            }
            return verdict(process, errors);
        } finally {
            try {
                Files.deleteIfExists(errors);
            } catch (IOException e) {
                // A temp file left behind is harmless.
            }
        }
    }

    private static ProbeVerdict verdict(Process process, Path errors) {
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return ProbeVerdict.failedThisTime("the probe did not finish within " + TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            // Not "unavailable": that would load the best variant untested, the risk the probe exists for.
            throw new NativeLibraryException("interrupted while test-running ggml's backend modules", e);
        }
        int exit = process.exitValue();
        if (exit == 0) {
            return ProbeVerdict.PASSED;
        }
        // The JDK reports death by signal N as exit code 128 + N.
        int signal = exit > 128 && exit < 128 + 32 ? exit - 128 : 0;
        if (signal != 0) {
            String reason = "the probe died of " + SIGNALS.getOrDefault(signal, "signal " + signal);
            return FAULTS.contains(signal) ? ProbeVerdict.failed(reason) : ProbeVerdict.failedThisTime(reason);
        }
        String reason = "the probe exited with " + exit + lastLine(errors);
        return exit == EXIT_WRONG_RESULTS ? ProbeVerdict.failed(reason) : ProbeVerdict.failedThisTime(reason);
    }

    private static String lastLine(Path errors) {
        try {
            List<String> lines = Files.readString(errors, StandardCharsets.UTF_8).strip().lines().toList();
            return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "";
        }
    }
}
