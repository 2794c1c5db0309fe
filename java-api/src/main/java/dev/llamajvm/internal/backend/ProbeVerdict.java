package dev.llamajvm.internal.backend;

/**
 * What a test run of one backend module in a child process showed.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param passed whether the module loaded, found a device and computed right
 * @param reason why it failed (for example {@code died of SIGILL}); empty when it passed
 */
public record ProbeVerdict(boolean passed, String reason) {

    public static final ProbeVerdict PASSED = new ProbeVerdict(true, "");

    public static ProbeVerdict failed(String reason) {
        return new ProbeVerdict(false, reason);
    }
}
