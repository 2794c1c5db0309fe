package dev.llamajvm;

import dev.llamajvm.bindings.NativeLookup;
import dev.llamajvm.internal.NativeExtractor;
import dev.llamajvm.internal.Platform;
import dev.llamajvm.testing.Stories;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second copy of llama-jvm in another class loader (a second webapp, a redeploy) while this one
 * has the natives: the JVM ties a native library to one class loader, so the copy gets a clear
 * {@link NativeLibraryException} saying so, and the first copy keeps working.
 */
class ClassLoaderTest {

    @Test
    void aSecondClassLoaderIsToldTheNativesBelongToAnotherOne() throws Exception {
        LlamaModel model = Stories.model(); // the natives are loaded by this class loader
        URL[] copy = {codeSource(NativeLibraries.class), codeSource(NativeLookup.class), nativesRoot()};
        try (URLClassLoader webapp = new URLClassLoader("second-webapp", copy, ClassLoader.getPlatformClassLoader())) {
            Class<?> libraries = Class.forName(NativeLibraries.class.getName(), true, webapp);
            assertTrue(libraries != NativeLibraries.class, "the copy is a class of its own");

            InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                    () -> libraries.getMethod("load").invoke(null));
            Throwable refusal = thrown.getCause();
            assertTrue(isA(refusal.getClass(), NativeLibraryException.class.getName()),
                    () -> "expected a NativeLibraryException, got " + refusal);
            assertTrue(refusal.getMessage().contains("already loaded in this JVM by another class loader")
                    && refusal.getMessage().contains("one class loader per JVM"), refusal.getMessage());
        }
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(128))) {
            assertEquals(4, session.complete("Once upon a time", GenerateOptions.defaults().maxTokens(4)
                    .ignoreEos(true)).generatedTokens(), "the first copy still generates");
        }
    }

    /** Where this class loader finds the natives jar's files (a jar, or a folder in the build). */
    private static URL nativesRoot() throws Exception {
        String manifest = NativeExtractor.manifestResource(Platform.current().classifier().orElseThrow());
        URL found = ClassLoaderTest.class.getClassLoader().getResource(manifest);
        assertTrue(found != null, "the natives are on the test class path");
        String url = found.toString();
        String root = url.substring(0, url.length() - manifest.length());
        return new URL(root.startsWith("jar:") ? root.substring("jar:".length(), root.length() - 2) : root);
    }

    private static boolean isA(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static URL codeSource(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
