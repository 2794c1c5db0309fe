package dev.llamajvm;

import dev.llamajvm.testing.ChildJvm;
import dev.llamajvm.testing.Stories;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which engine a JVM runs (Panama on Java 22+, JNI below, or what {@code llama.jvm.engine} says),
 * what it says when it cannot, and that both engines generate the same tokens. Each case runs in a
 * child JVM of this test's Java: the engine is chosen once per JVM.
 */
class EngineChoiceTest {

    private static final int JAVA = Runtime.version().feature();

    /** Prints the engine in use and 24 greedy tokens of stories260K, or the exception. */
    public static void main(String[] args) {
        try (LlamaModel model = LlamaModel.load(Path.of(args[0]));
             Session session = model.newSession(SessionOptions.defaults().contextSize(128).threads(2))) {
            System.out.println("ENGINE " + NativeLibraries.describe().engine());
            if (NativeLibraries.describe().engine().equals("jni")) {
                System.out.println("JAVACPP_MAX_PHYSICAL_BYTES " + org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
            }
            Reply reply = session.complete("Once upon a time", GenerateOptions.defaults().maxTokens(24).ignoreEos(true));
            System.out.println("TOKENS " + reply.tokens().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        } catch (LlamaException e) {
            System.out.println("EXCEPTION " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    private static ChildJvm.Result run(String engine, String... moreProperties) throws Exception {
        ChildJvm child = ChildJvm.of(EngineChoiceTest.class).property("llama.jvm.engine", engine);
        for (int i = 0; i + 1 < moreProperties.length; i += 2) {
            child.property(moreProperties[i], moreProperties[i + 1]);
        }
        ChildJvm.Result result = child.run(Stories.path().toString());
        assertEquals(0, result.exitCode(), result.output());
        return result;
    }

    private static String line(ChildJvm.Result result, String prefix) {
        return result.output().lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + "line in:\n" + result.output()));
    }

    @Test
    void panamaOnJava22AndNewerJniBelow() throws Exception {
        assertEquals("ENGINE " + (JAVA >= 22 ? "panama" : "jni"), line(run(""), "ENGINE "));
    }

    @Test
    void thePropertyForcesTheJniEngine() throws Exception {
        ChildJvm.Result result = run("jni");
        assertEquals("ENGINE jni", line(result, "ENGINE "));
        assertTrue(result.output().contains("llama-jvm engine: jni on Java " + JAVA + " (set by -Dllama.jvm.engine)"),
                "the choice is logged once: " + result.output());
    }

    /**
     * JavaCPP's default cap on the process's resident memory counts llama.cpp's models and caches,
     * and would fail every small allocation past it (a soak with a 256 MB heap hit it at 1 GB): the
     * engine lifts it, unless the application set it.
     */
    @Test
    void jniEngineLiftsJavaCppsResidentMemoryCapUnlessSet() throws Exception {
        assertEquals("JAVACPP_MAX_PHYSICAL_BYTES 0", line(run("jni"), "JAVACPP_MAX_PHYSICAL_BYTES "));
        assertEquals("JAVACPP_MAX_PHYSICAL_BYTES " + (3L << 30), line(run("jni",
                "org.bytedeco.javacpp.maxPhysicalBytes", "3g"), "JAVACPP_MAX_PHYSICAL_BYTES "));
    }

    @Test
    void panamaBelowJava22IsAClearException() throws Exception {
        String outcome = line(run("panama"), JAVA >= 22 ? "ENGINE " : "EXCEPTION ");
        if (JAVA >= 22) {
            assertEquals("ENGINE panama", outcome);
        } else {
            assertTrue(outcome.startsWith("EXCEPTION " + NativeLibraryException.class.getName()), outcome);
            assertTrue(outcome.contains("Panama engine needs Java 22") && outcome.contains("this is Java " + JAVA), outcome);
        }
    }

    @Test
    void anUnknownEngineNameIsRefused() throws Exception {
        String outcome = line(run("fortran"), "EXCEPTION ");
        assertTrue(outcome.contains("-Dllama.jvm.engine=fortran names no engine: use jni or panama"), outcome);
    }

    /** Natives without the JNI glue (as if built before the JNI engine): a clear exception, not a crash. */
    @Test
    void jniEngineWithoutItsGlueNamesTheEngineAndTheJdk(@TempDir Path copy) throws Exception {
        Path natives = NativeLibraries.load();
        try (var files = Files.list(natives)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().contains("jnillamajvm")) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
        }
        Path list = copy.resolve("natives.list");
        Files.write(list, Files.readAllLines(list).stream().filter(l -> !l.contains("jnillamajvm")).toList());
        String outcome = line(run("jni", NativeLibraries.LIBRARY_PATH_PROPERTY, copy.toString()), "EXCEPTION ");
        assertTrue(outcome.startsWith("EXCEPTION " + NativeLibraryException.class.getName()), outcome);
        assertTrue(outcome.contains("carry no JNI glue") && outcome.contains("JNI engine cannot run on them on Java " + JAVA),
                outcome);
    }

    /** The same natives through either engine: the same model, the same greedy tokens. */
    @Test
    void bothEnginesGenerateTheSameGreedyTokens() throws Exception {
        Assumptions.assumeTrue(JAVA >= 22, "the Panama engine needs Java 22+");
        String jni = line(run("jni"), "TOKENS ");
        String panama = line(run("panama"), "TOKENS ");
        assertEquals(panama, jni);
        assertEquals(24, jni.split(" ").length - 1, "24 generated tokens: " + jni);
    }
}
