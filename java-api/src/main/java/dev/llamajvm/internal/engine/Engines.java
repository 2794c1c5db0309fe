package dev.llamajvm.internal.engine;

import dev.llamajvm.LlamaException;

/** Picks the engine for this runtime, once. */
final class Engines {

    private static final String PANAMA = "dev.llamajvm.internal.panama.PanamaEngine";
    private static volatile Engine current;

    private Engines() {}

    static Engine current() {
        Engine engine = current;
        if (engine == null) {
            synchronized (Engines.class) {
                if (current == null) {
                    current = create();
                }
                engine = current;
            }
        }
        return engine;
    }

    private static Engine create() {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            throw new LlamaException("llama-jvm needs Java 22 or newer for now (this is Java " + feature
                    + "); the JNI engine for Java 17-21 is not written yet");
        }
        try {
            return (Engine) Class.forName(PANAMA).getConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // e.g. NativeLibraryException, as it is
            }
            throw new LlamaException("cannot start the Panama engine", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new LlamaException("cannot start the Panama engine", e);
        }
    }
}
