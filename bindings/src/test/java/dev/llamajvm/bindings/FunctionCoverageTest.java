package dev.llamajvm.bindings;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Each header class binds exactly the functions its header exports: found by reading the header's text
 * (not through libclang, which the generator itself uses), so a generator bug cannot hide itself.
 */
class FunctionCoverageTest {

    @Test
    void readsDeclarationsTheWayTheHeadersWriteThem() {
        String header = """
                #define LLAMA_API __attribute__ ((visibility ("default")))
                // LLAMA_API int commented_out(void);
                /* LLAMA_API int also_commented_out(void); */
                LLAMA_API struct llama_model * plain(
                        const char * path,
                        struct llama_model_params params);
                DEPRECATED(LLAMA_API void wrapped(struct llama_model * model),
                        "use something else; really");
                LLAMA_API DEPRECATED(size_t wrapped_inside(struct llama_context * ctx),
                        "hint");
                GGML_DEPRECATED(
                    GGML_API int ggml_wrapped(int x),
                    "hint");
                GGML_API void (*returns_pointer(int x))(void * data);
                GGML_API const char * a_variable;
                static const size_t NOT_EXPORTED = sizeof(int);
                #ifdef __cplusplus
                MTMD_API std::map<int, size_t> cplusplus_only(const char * path);
                #else
                MTMD_API int c_only(const char * path);
                #endif
                """;
        assertEquals(List.of("plain", "wrapped", "wrapped_inside", "ggml_wrapped", "returns_pointer", "c_only"),
                List.copyOf(CHeaderText.of(header).exportedFunctions()));
    }

    @Test
    void everyExportedFunctionIsBoundAndNothingElse() throws IOException {
        List<Executable> checks = new ArrayList<>();
        StringBuilder summary = new StringBuilder("exported functions per header:");
        for (TestEnvironment.Header header : TestEnvironment.HEADERS) {
            Path file = header.file();
            String raw = Files.readString(file);
            Set<String> declared = CHeaderText.of(raw).exportedFunctions();
            Class<?> headerClass = header.headerClass();
            Set<String> bound = new TreeSet<>(TestEnvironment.boundFunctions(headerClass));
            summary.append(' ').append(header.fileName()).append('=').append(declared.size());

            Set<String> unbound = new TreeSet<>(declared);
            unbound.removeAll(bound);
            Set<String> notDeclared = new TreeSet<>(bound);
            notDeclared.removeAll(declared);
            Set<String> withoutMethod = new TreeSet<>();
            for (String name : declared) {
                if (!hasPublicStaticMethod(headerClass, name)) {
                    withoutMethod.add(name);
                }
            }
            Set<String> strayConstants = new TreeSet<>();
            for (String name : otherPublicStatics(headerClass)) {
                if (!declared.contains(name) && !CHeaderText.mentions(raw, name)) {
                    strayConstants.add(name);
                }
            }
            String where = headerClass.getSimpleName() + " vs " + header.relativePath();
            checks.add(() -> assertFalse(declared.isEmpty(), where + ": no exported function found"));
            checks.add(() -> assertTrue(unbound.isEmpty(), where + ": declared but not bound: " + unbound));
            checks.add(() -> assertTrue(withoutMethod.isEmpty(),
                    where + ": declared but no public static method of that name: " + withoutMethod));
            checks.add(() -> assertTrue(notDeclared.isEmpty(),
                    where + ": bound but not declared in the header: " + notDeclared));
            checks.add(() -> assertTrue(strayConstants.isEmpty(),
                    where + ": public static methods that are neither a declared function nor a name"
                            + " (enum constant, macro) of the header: " + strayConstants));
        }
        System.out.println(summary);
        assertAll(checks);
    }

    private static boolean hasPublicStaticMethod(Class<?> c, String name) {
        return Stream.of(c.getDeclaredMethods()).anyMatch(m -> m.getName().equals(name)
                && Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()));
    }

    /**
     * The public static methods that are neither functions (which have a {@code name$descriptor()}) nor
     * {@code $}-companions. Constants (enum constants, macros) take no argument, so a method that takes
     * one is listed as {@code name(N args)}, which no header mentions.
     */
    private static Set<String> otherPublicStatics(Class<?> c) {
        Set<String> functions = Set.copyOf(TestEnvironment.boundFunctions(c));
        Set<String> names = new TreeSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                    && !m.getName().contains("$") && !functions.contains(m.getName())) {
                names.add(m.getParameterCount() == 0 ? m.getName()
                        : m.getName() + "(" + m.getParameterCount() + " args)");
            }
        }
        return names;
    }
}
