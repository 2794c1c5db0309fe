package dev.llamajvm.bindgen;

import java.util.List;

/** A C type as the bindings see it: what Java carries it as and which memory layout describes it. */
sealed interface CType {

    /** The Java type of a value of this type in a downcall, an upcall or a field accessor. */
    String carrier();

    /** A Java expression for this type's memory layout. */
    String layout();

    enum Primitive implements CType {
        BOOL("boolean", "JAVA_BOOLEAN", "OfBoolean"),
        BYTE("byte", "JAVA_BYTE", "OfByte"),
        SHORT("short", "JAVA_SHORT", "OfShort"),
        INT("int", "JAVA_INT", "OfInt"),
        LONG("long", "JAVA_LONG", "OfLong"),
        FLOAT("float", "JAVA_FLOAT", "OfFloat"),
        DOUBLE("double", "JAVA_DOUBLE", "OfDouble"),
        POINTER("MemorySegment", "ADDRESS", "AddressLayout");

        private final String carrier, layout, layoutClass;

        Primitive(String carrier, String layout, String layoutClass) {
            this.carrier = carrier;
            this.layout = layout;
            this.layoutClass = layoutClass;
        }

        @Override public String carrier() { return carrier; }
        @Override public String layout() { return layout; }

        /** The ValueLayout subtype of this type's layout constant. */
        String layoutClass() { return layoutClass; }
    }

    /** {@code void}, only as a function's result. */
    record Void() implements CType {
        @Override public String carrier() { return "void"; }
        @Override public String layout() { throw new IllegalStateException("void has no layout"); }
    }

    /** A struct or union held by value; {@code javaClass} is the generated class describing it. */
    record Record(String javaClass) implements CType {
        @Override public String carrier() { return "MemorySegment"; }
        @Override public String layout() { return javaClass + ".layout()"; }
    }

    /** A fixed-size array (only inside structs; as a parameter an array is a pointer). */
    record Array(CType element, long length) implements CType {
        @Override public String carrier() { return "MemorySegment"; }
        @Override public String layout() { return "MemoryLayout.sequenceLayout(" + length + ", " + element.layout() + ")"; }
    }

    /** A pointer to a function whose signature we know (for nested upcall classes of struct fields). */
    record FunctionPointer(Function signature) implements CType {
        @Override public String carrier() { return "MemorySegment"; }
        @Override public String layout() { return "ADDRESS"; }
    }

    /** A function signature: result, parameters, variadic tail. */
    record Function(CType result, List<Param> params, boolean variadic) {}

    /** A named parameter. */
    record Param(String name, CType type, String cSpelling) {}
}
