package dev.llamajvm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every llama.cpp, ggml, gguf, libmtmd and shim function the Panama engine calls is also bound by
 * the JNI bindings and called by the JNI engine, so that an upgrade of llama.cpp (new headers, a
 * regenerated preset) cannot drop one from the JNI engine silently. Reads both engines' sources.
 */
class JniBindingCoverageTest {

    /** Calls through the generated Panama header classes: {@code llama_h.llama_decode(}. */
    private static final Pattern PANAMA_CALL = Pattern.compile(
            "\\b(?:llama_h|ggml_h|ggml_backend_h|gguf_h|mtmd_h|mtmd_helper_h|llama_jvm_chat_h|llama_jvm_guard_h"
                    + "|llama_jvm_[a-z]+_h)\\s*(?:\\.|::)\\s*([a-z][a-z0-9_]*)\\b");

    /** Functions the JNI engine reaches another way, and why. */
    private static final Map<String, String> DONE_OTHERWISE = Map.of(
            "llama_batch_get_one", "the JNI engine fills one llama_batch of its own the same way, allocating nothing per token");

    private static Path sources(String folder) {
        String repo = System.getProperty("llama.jvm.repo.dir", "");
        Path path = Path.of(repo.isBlank() ? "." : repo, "java-api/src/main", folder);
        assertTrue(Files.isDirectory(path), "the engines' sources at " + path + " (llama.jvm.repo.dir)");
        return path;
    }

    private static String text(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    @Test
    void everyFunctionThePanamaEngineCallsTheJniEngineCallsToo() throws Exception {
        Set<String> panama = new TreeSet<>();
        Matcher m = PANAMA_CALL.matcher(text(sources("java22/dev/llamajvm/internal/panama")));
        while (m.find()) {
            panama.add(m.group(1));
        }
        assertTrue(panama.size() > 80, "the Panama engine's calls were found: " + panama);

        Set<String> bound = Arrays.stream(Class.forName("dev.llamajvm.bindings.jni.Llama", false, getClass().getClassLoader()).getMethods())
                .map(Method::getName).collect(Collectors.toSet());
        String jni = text(sources("java/dev/llamajvm/internal/jni"));
        Set<String> unbound = new TreeSet<>(), uncalled = new TreeSet<>();
        for (String function : panama) {
            if (DONE_OTHERWISE.containsKey(function)) {
                continue;
            }
            if (!bound.contains(function)) {
                unbound.add(function);
            } else if (!Pattern.compile("\\bLlama\\s*(?:\\.|::)\\s*" + function + "\\b").matcher(jni).find()) {
                uncalled.add(function);
            }
        }
        assertEquals(Set.of(), unbound, "functions the JNI bindings (bindings/jni) lack");
        assertEquals(Set.of(), uncalled, "functions the JNI engine (internal/jni) does not call");
    }

    @Test
    void theExceptionsAreStillCalledByThePanamaEngine() throws Exception {
        String panama = text(sources("java22/dev/llamajvm/internal/panama"));
        for (String function : DONE_OTHERWISE.keySet()) {
            assertTrue(panama.contains(function + "("), function + " is no longer called: drop it from the exceptions");
        }
        assertFalse(DONE_OTHERWISE.isEmpty());
    }
}
