package dev.llamajvm.internal.backend;

/**
 * What a test run of one backend module in a child process showed.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param passed whether the module loaded, found a device and computed right
 * @param reason why it failed (for example {@code died of SIGILL}); empty when it passed
 * @param lasting whether the outcome belongs to the module on this machine and may be kept for
 *     later starts: a pass, a fault in the module's code or wrong results; not a timeout, a kill
 *     from outside, a load failure or an abort, which may be the moment's (memory, environment)
 */
public record ProbeVerdict(boolean passed, String reason, boolean lasting) {

    public static final ProbeVerdict PASSED = new ProbeVerdict(true, "", true);

    /** A failure that says something lasting about the module on this machine. */
    public static ProbeVerdict failed(String reason) {
        return new ProbeVerdict(false, reason, true);
    }

    /** A failure that may not happen again. */
    public static ProbeVerdict failedThisTime(String reason) {
        return new ProbeVerdict(false, reason, false);
    }
}
