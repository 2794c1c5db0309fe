package dev.llamajvm.internal.backend;

import java.nio.file.Path;

/** Test-runs a backend module away from this JVM; {@link ProbeProgram} in production. */
@FunctionalInterface
public interface ModuleProbe {

    /**
     * Runs the module's test and says how it went.
     *
     * @throws ProbeUnavailableException when the test cannot be run at all (no probe program, a
     *     folder mounted noexec), which says nothing about the module
     */
    ProbeVerdict probe(Path module);

    /** The probe cannot run here; the module was not tested. */
    final class ProbeUnavailableException extends RuntimeException {
        public ProbeUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
