package dev.llamajvm.bindgen;

import dev.llamajvm.bindgen.sample.sample_binary_op;
import dev.llamajvm.bindgen.sample.sample_h;
import dev.llamajvm.bindgen.sample.sample_number;
import dev.llamajvm.bindgen.sample.sample_ops;
import dev.llamajvm.bindgen.sample.sample_point;
import dev.llamajvm.bindgen.sample.sample_point_maker;
import dev.llamajvm.bindgen.sample.sample_rgb;
import dev.llamajvm.bindgen.sample.sample_shape;
import dev.llamajvm.bindgen.sample.sample_tagged;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls src/test/c/sample.c through the bindings the generator wrote for sample.h. */
class SampleBindingsTest {

    @BeforeAll
    static void loadLibrary() {
        System.load(System.getProperty("sample.library"));
    }

    @Test
    void macrosAndEnumsBecomeConstantMethods() {
        assertEquals(3, sample_h.SAMPLE_VERSION());
        assertEquals(0x100000000L, sample_h.SAMPLE_BIG());
        assertEquals(0.25, sample_h.SAMPLE_RATIO());
        assertEquals("sample", sample_h.SAMPLE_NAME().getString(0));
        assertEquals(0, sample_h.SAMPLE_RED());
        assertEquals(5, sample_h.SAMPLE_GREEN());
        assertEquals(6, sample_h.SAMPLE_BLUE());
        assertEquals(-7, sample_h.SAMPLE_ANONYMOUS_ENUM());
        assertFalse(Arrays.stream(sample_h.class.getMethods()).anyMatch(m -> m.getName().equals("SAMPLE_TYPE_MACRO")),
                "a macro that is not a constant is left out");
        assertEquals(sample_h.SAMPLE_BLUE(), sample_h.sample_color_next(sample_h.SAMPLE_GREEN()));
    }

    @Test
    void opaquePointersRoundTrip() {
        MemorySegment counter = sample_h.sample_counter_new(10);
        assertEquals(10, sample_h.sample_counter_next(counter));
        assertEquals(11, sample_h.sample_counter_next(counter));
        sample_h.sample_counter_free(counter);
    }

    @Test
    void structsPassAndReturnByValue() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = sample_h.sample_point_make(arena, 3, 4);
            assertEquals(3, sample_point.x(a));
            assertEquals(4, sample_point.y(a));
            MemorySegment b = sample_point.allocate(arena);
            sample_point.x(b, 10);
            sample_point.y(b, -2);
            assertEquals(22, sample_h.sample_point_dot(a, b));
        }
    }

    @Test
    void nestedStructsArraysAndPaddingKeepTheirOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment shape = sample_shape.allocate(arena);
            sample_shape.kind(shape, (byte) 'q');
            sample_shape.area(shape, 12.5);
            sample_point.x(sample_shape.origin(shape), 1);
            for (int i = 0; i < 4; i++) {
                MemorySegment corner = sample_point.asSlice(sample_shape.corners(shape), i);
                sample_point.x(corner, i);
                sample_point.y(corner, 10 * i);
            }
            sample_shape.weights(shape, 0, 0.5f);
            sample_shape.weights(shape, 1, 1.5f);
            sample_shape.weights(shape, 2, 2.0f);
            sample_shape.label(shape, arena.allocateFrom("square"));
            sample_shape.closed(shape, true);

            assertEquals(4.0, sample_h.sample_shape_weight_sum(shape));
            MemorySegment moved = sample_h.sample_shape_translate(arena, shape, 100, 200);
            assertEquals('q', sample_shape.kind(moved));
            assertEquals(12.5, sample_shape.area(moved));
            assertEquals(101, sample_point.x(sample_shape.origin(moved)));
            assertEquals(200, sample_point.y(sample_shape.origin(moved)));
            assertEquals(103, sample_point.x(sample_point.asSlice(sample_shape.corners(moved), 3)));
            assertEquals(230, sample_point.y(sample_point.asSlice(sample_shape.corners(moved), 3)));
            assertEquals(2.0f, sample_shape.weights(moved, 2));
            assertEquals("square", sample_shape.label(moved).reinterpret(16).getString(0));
            assertTrue(sample_shape.closed(moved));
            assertEquals(88, sample_shape.sizeof(), "x86-64 SysV size of struct sample_shape");
            assertThrows(IndexOutOfBoundsException.class, () -> sample_shape.weights(shape, 3));
        }
    }

    @Test
    void unionsAndAnonymousMembers() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = sample_number.allocate(arena);
            sample_number.d(n, 6.25);
            assertEquals(6.25, sample_h.sample_number_as_double(n));
            assertEquals(8, sample_number.sizeof());

            MemorySegment t = sample_tagged.allocate(arena);
            sample_tagged.tag(t, 1);
            sample_tagged.as_double(t, 40.0);
            sample_tagged.halves.lo(sample_tagged.halves(t), (short) 1);
            sample_tagged.halves.hi(sample_tagged.halves(t), (short) 2);
            assertEquals(1 + 40 + 1 + (2 << 16), sample_h.sample_tagged_sum(t));
            sample_tagged.tag(t, 0);
            sample_tagged.as_int(t, 7);
            assertEquals(7 + 1 + (2 << 16), sample_h.sample_tagged_sum(t));
        }
    }

    @Test
    void typedefOfAnonymousStructIsAClass() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = sample_rgb.allocate(arena);
            sample_rgb.r(c, (byte) 0);
            sample_rgb.g(c, (byte) 55);
            sample_rgb.b(c, (byte) 255);
            MemorySegment inverted = sample_h.sample_rgb_invert(arena, c);
            assertEquals((byte) 255, sample_rgb.r(inverted));
            assertEquals((byte) 200, sample_rgb.g(inverted));
            assertEquals((byte) 0, sample_rgb.b(inverted));
        }
    }

    @Test
    void stringsCrossAsUtf8() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(6, sample_h.sample_strlen(arena.allocateFrom("héllo")));
            assertEquals("héllo", sample_h.sample_greeting().reinterpret(64).getString(0));
        }
    }

    @Test
    void functionPointerTypedefsMakeUpcallsAndDowncalls() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment multiply = sample_binary_op.allocate((a, b, userData) -> a * b, arena);
            assertEquals(42, sample_h.sample_apply(multiply, 6, 7, MemorySegment.NULL));
            assertEquals(12, sample_binary_op.invoke(multiply, 3, 4, MemorySegment.NULL));

            MemorySegment maker = sample_point_maker.allocate((x, y) -> {
                MemorySegment p = sample_point.allocate(arena);
                sample_point.x(p, x * 2);
                sample_point.y(p, y * 2);
                return p;
            }, arena);
            MemorySegment made = sample_h.sample_make_with(arena, maker, 5, 6);
            assertEquals(10, sample_point.x(made));
            assertEquals(12, sample_point.y(made));
            MemorySegment direct = sample_point_maker.invoke(maker, arena, 1, 2);
            assertEquals(4, sample_point.y(direct));
        }
    }

    @Test
    void functionPointerFieldsGetNestedClasses() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ops = sample_ops.allocate(arena);
            MemorySegment name = arena.allocateFrom("sum");
            sample_ops.name(ops, sample_ops.name.allocate(() -> name, arena));
            sample_ops.combine(ops, sample_binary_op.allocate((a, b, userData) -> a + b, arena));
            assertEquals("sum=9", sample_h.sample_ops_describe(ops, 4, 5).reinterpret(64).getString(0));
        }
    }

    @Test
    void variadicFunctionsTakeTheirTailAsObjects() {
        assertEquals(6, sample_h.sample_sum_ints(3, 1, 2, 3));
        assertEquals(0, sample_h.sample_sum_ints(0));
        assertThrows(IllegalArgumentException.class, () -> sample_h.sample_sum_ints(1, "text"));
    }

    @Test
    void deprecatedFunctionsAreMarked() throws NoSuchMethodException {
        assertEquals(41, sample_h.sample_old_answer());
        assertTrue(sample_h.class.getMethod("sample_old_answer").isAnnotationPresent(Deprecated.class));
        assertFalse(sample_h.class.getMethod("sample_answer").isAnnotationPresent(Deprecated.class));
    }

    @Test
    void generatedSourcesNameNoFolderOfThisMachine() throws IOException {
        Path generated = Path.of(System.getProperty("sample.generated"));
        String header = Path.of(System.getProperty("user.dir"), "src", "test", "c").toString();
        try (Stream<Path> files = Files.walk(generated)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                assertFalse(text.contains(header), file + " names " + header);
                assertTrue(text.startsWith(Generator.MARKER), file + " lacks the generated-file header");
            }
        }
    }

    @Test
    void pointersToArraysWork() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocate(ValueLayout.JAVA_INT, 5);
            sample_h.sample_fill(values, 5, 9);
            assertArrayEquals(new int[] {9, 9, 9, 9, 9}, values.toArray(ValueLayout.JAVA_INT));
        }
    }
}
