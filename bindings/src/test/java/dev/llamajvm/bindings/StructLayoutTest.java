package dev.llamajvm.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generated struct/union layout equals what the C compiler makes of the same headers: a probe
 * compiled from C prints sizeof and offsetof for each, and both the layout and the generated
 * {@code field$offset()} accessors must agree with it.
 */
class StructLayoutTest {

    /** One generated struct class, and the C expressions that measure it. */
    record Struct(Class<?> javaClass, String key, String cType, String fieldPath, List<Member> members) {
        String sizeofExpr() {
            return fieldPath.isEmpty() ? "sizeof(" + cType + ")" : "sizeof(((" + cType + " *)0)->" + fieldPath + ")";
        }

        String offsetofExpr(Member m) {
            return "offsetof(" + cType + ", " + (fieldPath.isEmpty() ? "" : fieldPath + ".") + m.name() + ")";
        }
    }

    /** A named member as the Java layout places it (members of {@code $anon$N} groups included). */
    record Member(String name, long layoutOffset) {
    }

    @Test
    void layoutsMatchTheCCompiler(@TempDir Path work) throws Exception {
        TestEnvironment.require(TestEnvironment.onPath("gcc"), "gcc is not on the PATH");

        StringBuilder allHeaders = new StringBuilder();
        for (TestEnvironment.Header h : TestEnvironment.HEADERS) {
            allHeaders.append(Files.readString(h.file())).append('\n');
        }
        CHeaderText headers = CHeaderText.of(allHeaders.toString());

        List<Struct> structs = new ArrayList<>();
        for (Class<?> c : TestEnvironment.packageClasses()) {
            GroupLayout layout = layoutOf(c);
            if (layout != null) {
                structs.add(describe(c, layout, headers));
            }
        }
        assertFalse(structs.isEmpty(), "no generated struct class found");

        Map<String, Long> measured = runProbe(work, structs);

        List<String> mismatches = new ArrayList<>();
        int fields = 0;
        for (Struct s : structs) {
            check(mismatches, s.key() + ": layout().byteSize()", measured.get(s.key()), layoutOf(s.javaClass()).byteSize());
            for (Member m : s.members()) {
                fields++;
                Long cOffset = measured.get(s.key() + "." + m.name());
                check(mismatches, s.key() + "." + m.name() + ": offset in layout()", cOffset, m.layoutOffset());
                Long accessor = offsetAccessor(s.javaClass(), m.name());
                if (accessor == null) {
                    mismatches.add(s.key() + "." + m.name() + ": no public static " + m.name() + "$offset()");
                } else {
                    check(mismatches, s.key() + "." + m.name() + ": " + m.name() + "$offset()", cOffset, accessor);
                }
            }
        }
        System.out.printf("struct layouts: %d structs/unions and %d fields checked against gcc, %d mismatches%n",
                structs.size(), fields, mismatches.size());
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " layout mismatches (C value first):\n  " + String.join("\n  ", mismatches));
        }
    }

    private static void check(List<String> mismatches, String what, Long c, long java) {
        if (c == null) {
            mismatches.add(what + ": the probe printed no value");
        } else if (c != java) {
            mismatches.add(what + ": C says " + c + ", Java says " + java);
        }
    }

    /** The value of a public static {@code layout()} returning a GroupLayout, or null when there is none. */
    private static GroupLayout layoutOf(Class<?> c) {
        try {
            Method m = c.getDeclaredMethod("layout");
            if (!Modifier.isStatic(m.getModifiers()) || !GroupLayout.class.isAssignableFrom(m.getReturnType())) {
                return null;
            }
            m.setAccessible(true);
            return (GroupLayout) m.invoke(null);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read " + c.getName() + ".layout()", e);
        }
    }

    private static Long offsetAccessor(Class<?> c, String field) {
        try {
            Method m = c.getMethod(field + "$offset");
            return Modifier.isStatic(m.getModifiers()) ? (Long) m.invoke(null) : null;
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Maps a class to C. A top-level class {@code X} is {@code struct X} or {@code union X} when the headers
     * define that tag, else the typedef name {@code X} (as in {@code typedef struct { ... } X;}). A nested
     * class {@code X$f} stands for the anonymous type of field {@code f} of X, so it is measured through
     * that field.
     */
    private static Struct describe(Class<?> c, GroupLayout layout, CHeaderText headers) {
        String key = c.getName().substring(c.getPackageName().length() + 1);
        String[] parts = key.split("\\$");
        String top = parts[0];
        String cType = headers.definesTag("struct", top) ? "struct " + top
                : headers.definesTag("union", top) ? "union " + top
                : top;
        String fieldPath = String.join(".", List.of(parts).subList(1, parts.length));
        List<Member> members = new ArrayList<>();
        collectMembers(layout, layout, new ArrayList<>(), members);
        return new Struct(c, key, cType, fieldPath, members);
    }

    private static void collectMembers(GroupLayout root, GroupLayout group, List<PathElement> path, List<Member> out) {
        List<MemoryLayout> members = group.memberLayouts();
        for (int i = 0; i < members.size(); i++) {
            MemoryLayout member = members.get(i);
            if (member instanceof PaddingLayout) {
                continue;
            }
            String name = member.name().orElse("");
            List<PathElement> memberPath = new ArrayList<>(path);
            memberPath.add(PathElement.groupElement(i));
            if (member instanceof GroupLayout inner && (name.isEmpty() || name.startsWith("$anon$"))) {
                // an anonymous struct/union: in C its members are members of the enclosing struct
                collectMembers(root, inner, memberPath, out);
            } else {
                assertFalse(name.isEmpty(), "unnamed member " + member + " in " + root);
                out.add(new Member(name, root.byteOffset(memberPath.toArray(PathElement[]::new))));
            }
        }
    }

    /** Writes, compiles (gcc -std=c11) and runs the probe; returns "key" -> sizeof, "key.field" -> offsetof. */
    private static Map<String, Long> runProbe(Path work, List<Struct> structs)
            throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder("""
                #include <stddef.h>
                #include <stdio.h>
                """);
        for (TestEnvironment.Header h : TestEnvironment.HEADERS) {
            c.append("#include \"").append(h.fileName()).append("\"\n");
        }
        c.append("\nint main(void) {\n");
        for (Struct s : structs) {
            c.append("    printf(\"%s %zu\\n\", \"").append(s.key()).append("\", (size_t) ")
                    .append(s.sizeofExpr()).append(");\n");
            for (Member m : s.members()) {
                c.append("    printf(\"%s %zu\\n\", \"").append(s.key()).append('.').append(m.name())
                        .append("\", (size_t) ").append(s.offsetofExpr(m)).append(");\n");
            }
        }
        c.append("    return 0;\n}\n");
        Path probeSource = work.resolve("layout_probe.c");
        Files.writeString(probeSource, c);

        Path probe = work.resolve("layout_probe");
        List<String> gcc = new ArrayList<>(List.of("gcc", "-std=c11", "-w"));
        for (Path dir : TestEnvironment.includeDirs()) {
            gcc.add("-I" + dir);
        }
        gcc.addAll(List.of("-o", probe.toString(), probeSource.toString()));
        run(gcc, work, "gcc");
        String output = run(List.of(probe.toString()), work, "the probe");

        Map<String, Long> values = new HashMap<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                String[] kv = line.trim().split(" ");
                assertEquals(2, kv.length, "unexpected probe output line: " + line);
                values.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return values;
    }

    private static String run(List<String> command, Path dir, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), what + " did not finish");
        assertEquals(0, p.exitValue(), what + " failed (" + String.join(" ", command) + "):\n" + output);
        return output;
    }
}
