package dev.llamajvm.bindgen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the class of a struct or union in jextract's shape: {@code layout()}, {@code sizeof()},
 * {@code allocate(...)}, and a static getter and setter per field taking the struct's segment.
 * Offsets are clang's, so the accessors are right even where the Java layout could not say more.
 */
final class RecordWriter {

    private static final Set<String> RESERVED = Set.of("layout", "sizeof", "allocate", "allocateArray",
            "reinterpret", "asSlice");

    String write(Model.RecordDecl record, String header) {
        SourceBuilder b = new SourceBuilder();
        b.cDoc((record.union() ? "union " : "struct ") + record.name());
        body(b, record, "public class", true);
        return header + b;
    }

    private void body(SourceBuilder b, Model.RecordDecl record, String declaration, boolean topLevel) {
        String name = record.name();
        b.open(declaration + " " + name + " {");
        b.line();
        b.line(name + "() {");
        b.line("    // static members only");
        b.line("}");
        b.line();
        b.line("private static final GroupLayout $LAYOUT = " + layout(record, 0) + ".withName(\"" + name + "\");");
        b.line();
        b.line("/** The layout of this " + (record.union() ? "union" : "struct") + ". */");
        b.line("public static final GroupLayout layout() { return $LAYOUT; }");
        Set<String> seen = new HashSet<>();
        writeAccessors(b, record, 0, seen);
        b.line();
        b.line("/** The element at {@code index} of an array of these. */");
        b.open("public static MemorySegment asSlice(MemorySegment array, long index) {");
        b.line("return array.asSlice(layout().byteSize() * index, layout());");
        b.close("}");
        b.line();
        b.line("/** The size in bytes, as C's sizeof says. */");
        b.line("public static long sizeof() { return layout().byteSize(); }");
        b.line();
        b.line("/** Allocates one, zeroed when the allocator zeroes (arenas do). */");
        b.line("public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate(layout()); }");
        b.line();
        b.line("/** Allocates an array of {@code elementCount}. */");
        b.open("public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {");
        b.line("return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));");
        b.close("}");
        b.line();
        b.line("/** Views a native pointer as one of these, owned by {@code arena}. */");
        b.open("public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {");
        b.line("return reinterpret(addr, 1, arena, cleanup);");
        b.close("}");
        b.line();
        b.line("/** Views a native pointer as an array of {@code elementCount} of these, owned by {@code arena}. */");
        b.open("public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {");
        b.line("return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);");
        b.close("}");
        b.close("}");
    }

    /** The layout expression: members at clang's offsets, with explicit padding between and after. */
    private String layout(Model.RecordDecl record, int anonymousCounter) {
        List<String> elements = new ArrayList<>();
        List<Model.Member> members = new ArrayList<>(record.members());
        if (!record.union()) {
            members.sort(Comparator.comparingLong(RecordWriter::offset));
        }
        long position = 0;
        int anonymous = anonymousCounter;
        for (Model.Member m : members) {
            long offset = record.union() ? 0 : offset(m);
            if (offset > position) {
                elements.add("MemoryLayout.paddingLayout(" + (offset - position) + ")");
            }
            long size;
            switch (m) {
                case Model.Field f -> {
                    elements.add(f.type().layout() + ".withName(\"" + f.name() + "\")");
                    size = sizeOf(f.type(), f);
                }
                case Model.AnonymousMember a -> {
                    elements.add(layout(a.record(), 0) + ".withName(\"$anon$" + anonymous++ + "\")");
                    size = a.record().size();
                }
            }
            position = record.union() ? Math.max(position, size) : offset + size;
        }
        if (record.size() > position) {
            elements.add("MemoryLayout.paddingLayout(" + (record.size() - position) + ")");
        }
        String kind = record.union() ? "MemoryLayout.unionLayout(" : "MemoryLayout.structLayout(";
        return kind + String.join(", ", elements) + ")";
    }

    private static long offset(Model.Member m) {
        return switch (m) {
            case Model.Field f -> f.offset();
            case Model.AnonymousMember a -> a.offset();
        };
    }

    /** A member's size; records by value carry it in the model, primitives by their kind. */
    private long sizeOf(CType type, Model.Field field) {
        return switch (type) {
            case CType.Primitive p -> switch (p) {
                case BOOL, BYTE -> 1;
                case SHORT -> 2;
                case INT, FLOAT -> 4;
                case LONG, DOUBLE, POINTER -> 8;
            };
            case CType.FunctionPointer fp -> 8;
            case CType.Array a -> a.length() * sizeOf(a.element(), field);
            case CType.Record r -> field.anonymousType() != null ? field.anonymousType().size() : sizes.apply(r.javaClass());
            case CType.Void v -> throw new IllegalStateException("void field " + field.name());
        };
    }

    private final java.util.function.Function<String, Long> sizes;

    private final String packageName;

    RecordWriter(java.util.Map<String, Model.RecordDecl> records, String packageName) {
        this.packageName = packageName;
        this.sizes = n -> {
            Model.RecordDecl r = records.get(n);
            if (r == null) throw new IllegalStateException("record " + n + " used by value but not generated");
            return r.size();
        };
    }

    private void writeAccessors(SourceBuilder b, Model.RecordDecl record, long base, Set<String> seen) {
        for (Model.Member m : record.members()) {
            switch (m) {
                case Model.Field f -> field(b, f, base + f.offset(), seen);
                case Model.AnonymousMember a -> writeAccessors(b, a.record(), base + a.offset(), seen);
            }
        }
    }

    private void field(SourceBuilder b, Model.Field f, long offset, Set<String> seen) {
        String n = HeaderParser.javaName(f.name(), 0);
        if (RESERVED.contains(n) || !seen.add(n)) {
            throw new IllegalStateException("field name " + n + " clashes with a generated member");
        }
        b.line();
        b.line("private static final long " + n + "$OFFSET = " + offset + ";");
        b.line();
        b.line("/** The offset of field {@code " + f.name() + "}. */");
        b.line("public static final long " + n + "$offset() { return " + n + "$OFFSET; }");
        switch (f.type()) {
            case CType.Primitive p -> valueAccessors(b, f, n, p);
            case CType.FunctionPointer fp -> {
                valueAccessors(b, f, n, CType.Primitive.POINTER);
                b.line();
                b.cDoc(f.cSpelling());
                b.open("public static final class " + n + " {");
                b.line("private " + n + "() {}");
                b.line();
                Emit.functionPointerBody(b, n, fp.signature(), packageName);
                b.close("}");
            }
            case CType.Array a -> arrayAccessors(b, f, n, a);
            case CType.Record r -> {
                segmentAccessors(b, f, n, r.layout());
                if (f.anonymousType() != null) {
                    b.line();
                    b.cDoc(f.cSpelling());
                    body(b, renamed(f.anonymousType(), n), "public static final class", false);
                }
            }
            case CType.Void v -> throw new IllegalStateException("void field " + f.name());
        }
    }

    private static Model.RecordDecl renamed(Model.RecordDecl r, String name) {
        return new Model.RecordDecl(name, r.union(), r.size(), r.members());
    }

    private void valueAccessors(SourceBuilder b, Model.Field f, String n, CType.Primitive p) {
        b.line();
        b.line("private static final " + p.layoutClass() + " " + n + "$LAYOUT = " + p.layout() + ";");
        b.line();
        b.cDoc(f.cSpelling() + " " + f.name());
        b.open("public static " + p.carrier() + " " + n + "(MemorySegment struct) {");
        b.line("return struct.get(" + n + "$LAYOUT, " + n + "$OFFSET);");
        b.close("}");
        b.line();
        b.cDoc(f.cSpelling() + " " + f.name());
        b.open("public static void " + n + "(MemorySegment struct, " + p.carrier() + " fieldValue) {");
        b.line("struct.set(" + n + "$LAYOUT, " + n + "$OFFSET, fieldValue);");
        b.close("}");
    }

    private void segmentAccessors(SourceBuilder b, Model.Field f, String n, String layout) {
        b.line();
        b.line("private static final MemoryLayout " + n + "$LAYOUT = " + layout + ";");
        b.line();
        b.cDoc(f.cSpelling() + " " + f.name());
        b.open("public static MemorySegment " + n + "(MemorySegment struct) {");
        b.line("return struct.asSlice(" + n + "$OFFSET, " + n + "$LAYOUT);");
        b.close("}");
        b.line();
        b.cDoc(f.cSpelling() + " " + f.name());
        b.open("public static void " + n + "(MemorySegment struct, MemorySegment fieldValue) {");
        b.line("MemorySegment.copy(fieldValue, 0L, struct, " + n + "$OFFSET, " + n + "$LAYOUT.byteSize());");
        b.close("}");
    }

    private void arrayAccessors(SourceBuilder b, Model.Field f, String n, CType.Array a) {
        segmentAccessors(b, f, n, a.layout());
        if (a.element() instanceof CType.Primitive p) {
            b.line();
            b.line("private static final " + p.layoutClass() + " " + n + "$ELEMENT = " + p.layout() + ";");
            b.line();
            b.line("/** Element {@code index} of array field {@code " + f.name() + "}. */");
            b.open("public static " + p.carrier() + " " + n + "(MemorySegment struct, long index) {");
            b.line("java.util.Objects.checkIndex(index, " + a.length() + "L);");
            b.line("return struct.get(" + n + "$ELEMENT, " + n + "$OFFSET + index * " + n + "$ELEMENT.byteSize());");
            b.close("}");
            b.line();
            b.line("/** Sets element {@code index} of array field {@code " + f.name() + "}. */");
            b.open("public static void " + n + "(MemorySegment struct, long index, " + p.carrier() + " fieldValue) {");
            b.line("java.util.Objects.checkIndex(index, " + a.length() + "L);");
            b.line("struct.set(" + n + "$ELEMENT, " + n + "$OFFSET + index * " + n + "$ELEMENT.byteSize(), fieldValue);");
            b.close("}");
        }
    }
}
