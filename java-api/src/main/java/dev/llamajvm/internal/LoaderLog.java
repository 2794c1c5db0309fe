package dev.llamajvm.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * The native loader's log, through {@link System.Logger} {@value #NAME} so that JUL, SLF4J or
 * Log4j users see it where they see everything else; the loader never writes to stderr itself.
 *
 * <p>Steps are logged at {@code DEBUG}; the {@code llama.jvm.debug.loader} switch raises them to
 * {@code INFO}, which default logging setups show, so one flag is enough to see what the loader did.
 * Immutable; any thread may use it.
 */
final class LoaderLog {

    static final String NAME = "dev.llamajvm.natives";

    private static final Logger LOGGER = System.getLogger(NAME);

    private final Level stepLevel;

    LoaderLog(boolean debug) {
        this.stepLevel = debug ? Level.INFO : Level.DEBUG;
    }

    /** One step of the load order; the message is built only when someone listens. */
    void step(Supplier<String> message) {
        if (LOGGER.isLoggable(stepLevel)) {
            LOGGER.log(stepLevel, message);
        }
    }

    /** What the load settled, once per JVM: shown by default logging setups. */
    void info(Supplier<String> message) {
        LOGGER.log(Level.INFO, message);
    }

    /** Something the user should know even without the debug switch. */
    void warn(Supplier<String> message) {
        LOGGER.log(Level.WARNING, message);
    }
}
