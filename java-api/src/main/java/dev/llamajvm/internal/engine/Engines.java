package dev.llamajvm.internal.engine;

import dev.llamajvm.LlamaException;
import dev.llamajvm.NativeLibraryException;

import java.util.Locale;

/**
 * Picks the engine for this runtime, once: Panama on Java 22 and newer, JNI below, unless
 * {@value #PROPERTY} ({@code jni} or {@code panama}) says which. The choice is logged once.
 */
public final class Engines {

    /** The system property that forces an engine: {@code jni} or {@code panama}. */
    public static final String PROPERTY = "llama.jvm.engine";

    private static final String PANAMA = "dev.llamajvm.internal.panama.PanamaEngine";
    private static final String JNI = "dev.llamajvm.internal.jni.JniEngine";
    private static volatile Engine current;
    private static volatile String currentName;

    private Engines() {}

    static Engine current() {
        Engine engine = current;
        if (engine == null) {
            synchronized (Engines.class) {
                if (current == null) {
                    String name = chosen();
                    current = create(name);
                    currentName = name;
                    System.getLogger("dev.llamajvm.natives").log(System.Logger.Level.INFO,
                            "llama-jvm engine: " + name + " on Java " + Runtime.version().feature()
                                    + (System.getProperty(PROPERTY) == null ? "" : " (set by -D" + PROPERTY + ")"));
                }
                engine = current;
            }
        }
        return engine;
    }

    /** The engine's name ("panama" or "jni") once one has started, else the one that would. */
    public static String name() {
        String name = currentName;
        return name != null ? name : chosen();
    }

    /** The engine this JVM uses: the property's, else Panama where java.lang.foreign is final (22+). */
    static String chosen() {
        String forced = System.getProperty(PROPERTY);
        if (forced == null || forced.isBlank()) {
            return Runtime.version().feature() >= 22 ? "panama" : "jni";
        }
        String name = forced.strip().toLowerCase(Locale.ROOT);
        if (!name.equals("panama") && !name.equals("jni")) {
            throw new LlamaException("-D" + PROPERTY + "=" + forced + " names no engine: use jni or panama");
        }
        return name;
    }

    private static Engine create(String name) {
        int feature = Runtime.version().feature();
        if (name.equals("panama") && feature < 22) {
            throw new NativeLibraryException("the Panama engine needs Java 22 or newer (this is Java " + feature
                    + "); leave -D" + PROPERTY + " unset or set it to jni");
        }
        try {
            return (Engine) Class.forName(name.equals("panama") ? PANAMA : JNI).getConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // e.g. NativeLibraryException, as it is
            }
            throw new NativeLibraryException("cannot start the " + name + " engine on Java " + feature + ": "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new NativeLibraryException("cannot start the " + name + " engine on Java " + feature
                    + " (its classes are missing from this build of llama-jvm?): " + e, e);
        }
    }
}
