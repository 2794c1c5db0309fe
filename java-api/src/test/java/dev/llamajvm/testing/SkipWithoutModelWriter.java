package dev.llamajvm.testing;

import dev.llamajvm.testing.models.ModelWriterUnavailableException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * On a Java below 22 (a machine whose only JDK is 17), a test whose random model is not in the
 * cache yet cannot make it: the test is skipped with the reason instead of failing. Registered for
 * every test (src/test/resources: the Extension service and junit-platform.properties). A Java 22+
 * run, as in CI, makes every model first, so nothing is skipped there.
 */
public final class SkipWithoutModelWriter implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw skipOr(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw skipOr(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw skipOr(throwable);
    }

    private static Throwable skipOr(Throwable throwable) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            if (t instanceof ModelWriterUnavailableException) {
                return new TestAbortedException(t.getMessage(), throwable);
            }
        }
        return throwable;
    }
}
