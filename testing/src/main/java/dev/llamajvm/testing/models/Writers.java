package dev.llamajvm.testing.models;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;

/**
 * Calls a model writer (compiled for Java 22: it uses the Panama bindings) by name, so that the
 * model descriptions and the cache of made files work on Java 17 too, where tests on the JNI engine
 * use models a Java 22+ run made.
 */
final class Writers {

    private Writers() {}

    static void invoke(String writer, Class<?>[] types, Object... arguments) throws IOException {
        if (Runtime.version().feature() < 22) {
            throw new ModelWriterUnavailableException("making a random model needs Java 22 or newer (this is Java "
                    + Runtime.version().feature() + "): run the tests on Java 22+ once to fill the model cache");
        }
        try {
            Class.forName(Writers.class.getPackageName() + "." + writer).getDeclaredMethod("make", types)
                    .invoke(null, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the model writer " + writer + " is missing from this build", e);
        }
    }
}
