package dev.llamajvm.bindgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything the generator found in the headers, in source order, grouped by header class. */
final class Model {

    /** A function declared in one of the headers. */
    record FunctionDecl(String name, CType.Function signature, String cSignature, boolean deprecated) {}

    /** A named integer or floating constant (enum constant or object-like macro). */
    record Constant(String name, CType.Primitive type, Object value, String origin) {}

    /** A string constant from an object-like macro. */
    record StringConstant(String name, String value) {}

    /** A struct/union member: a named field or an anonymous struct/union whose fields belong to the parent. */
    sealed interface Member permits Field, AnonymousMember {}

    record Field(String name, CType type, long offset, String cSpelling, RecordDecl anonymousType) implements Member {}

    record AnonymousMember(RecordDecl record, long offset) implements Member {}

    /** A struct or union with its layout as the C compiler computes it. */
    record RecordDecl(String name, boolean union, long size, List<Member> members) {}

    /** A function-pointer typedef, which becomes an upcall/downcall class. */
    record FunctionPointerTypedef(String name, CType.Function signature, String cSpelling) {}

    /** What goes into one header class. */
    static final class Header {
        final String className;
        final String fileName;
        final List<FunctionDecl> functions = new ArrayList<>();
        final List<Constant> constants = new ArrayList<>();
        final List<StringConstant> strings = new ArrayList<>();

        Header(String className, String fileName) {
            this.className = className;
            this.fileName = fileName;
        }
    }

    final Map<String, Header> headers = new LinkedHashMap<>();
    final Map<String, RecordDecl> records = new LinkedHashMap<>();
    final Map<String, String> recordOrigins = new LinkedHashMap<>();
    final Map<String, FunctionPointerTypedef> functionPointers = new LinkedHashMap<>();
    final Map<String, String> functionPointerOrigins = new LinkedHashMap<>();
    final List<String> skipped = new ArrayList<>();
}
