package dev.llamajvm.internal.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks a CPU variant its {@code ggml_backend_score} through the probe program
 * ({@code llama-jvm-probe --score MODULE}), in a process of its own: the JNI engine's scorer, since
 * Java 17 cannot open a library and call one function of it without JNI glue of its own. A few
 * milliseconds per variant, where the Panama engine's in-process call takes microseconds.
 *
 * <p>Immutable; any thread may use it.
 */
public final class ProbeScorer implements ModuleScorer {

    private static final long TIMEOUT_SECONDS = 30;

    private final Path program;

    /** @param program the probe program, in the natives folder */
    public ProbeScorer(Path program) {
        this.program = program;
    }

    @Override
    public int score(Path module) {
        Process process;
        try {
            process = new ProcessBuilder(List.of(program.toString(), "--score", module.toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run " + program + ": " + e.getMessage(), e);
        }
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalArgumentException(program + " --score " + module + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IllegalArgumentException("the probe cannot open " + module + " (exit " + process.exitValue() + ")");
            }
            return Integer.parseInt(out);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("no score from " + program + " for " + module + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while scoring " + module, e);
        }
    }
}
