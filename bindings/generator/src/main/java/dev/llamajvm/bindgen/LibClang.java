package dev.llamajvm.bindgen;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The handful of libclang C functions the generator needs, bound by hand (the generator cannot use
 * its own output to bootstrap). Values libclang returns by value (cursors, types, strings) are
 * copied into the arena of this instance, which lives as long as one generator run.
 */
final class LibClang implements AutoCloseable {

    static final MemoryLayout CX_CURSOR = MemoryLayout.structLayout(
            JAVA_INT.withName("kind"), JAVA_INT.withName("xdata"),
            MemoryLayout.sequenceLayout(3, ADDRESS).withName("data"));
    static final MemoryLayout CX_TYPE = MemoryLayout.structLayout(
            JAVA_INT.withName("kind"), MemoryLayout.paddingLayout(4),
            MemoryLayout.sequenceLayout(2, ADDRESS).withName("data"));
    static final MemoryLayout CX_STRING = MemoryLayout.structLayout(
            ADDRESS.withName("data"), JAVA_INT.withName("flags"), MemoryLayout.paddingLayout(4));
    static final MemoryLayout CX_SOURCE_LOCATION = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(2, ADDRESS).withName("ptr_data"), JAVA_INT.withName("int_data"),
            MemoryLayout.paddingLayout(4));
    static final MemoryLayout CX_UNSAVED_FILE = MemoryLayout.structLayout(
            ADDRESS.withName("name"), ADDRESS.withName("contents"), JAVA_LONG.withName("length"));

    static final int CHILD_VISIT_CONTINUE = 1;
    static final int PARSE_DETAILED_PREPROCESSING_RECORD = 0x01;
    static final int AVAILABILITY_DEPRECATED = 1;
    static final int EVAL_INT = 1, EVAL_FLOAT = 2, EVAL_STR_LITERAL = 4;
    static final int DIAGNOSTIC_ERROR = 3;

    private static final Linker LINKER = Linker.nativeLinker();
    private final SymbolLookup lib;
    private final Arena arena = Arena.ofConfined();

    private final MethodHandle createIndex, disposeIndex, parseTranslationUnit2, disposeTranslationUnit,
            getNumDiagnostics, getDiagnostic, formatDiagnostic, getDiagnosticSeverity, disposeDiagnostic,
            getDiagnosticLocation, getTranslationUnitCursor, visitChildren, getCursorKind, getCursorSpelling,
            getCString, disposeString, getCursorType, getCanonicalType, getPointeeType, getResultType,
            getNumArgTypes, getArgType, isFunctionTypeVariadic, typeGetSizeOf,
            typeGetOffsetOf, getOffsetOfField, getArrayElementType, getArraySize, getTypeDeclaration,
            getTypedefDeclUnderlyingType, getEnumConstantDeclValue, getCursorLocation, getFileLocation,
            getFileName, isAnonymousRecordDecl, isBitField, getCursorAvailability, isCursorDefinition,
            getTypeSpelling, isMacroFunctionLike, evaluate, evalGetKind, evalGetAsLongLong,
            evalIsUnsignedInt, evalGetAsUnsigned, evalGetAsDouble, evalGetAsStr, evalDispose,
            getCursorResultType, cursorGetNumArguments, cursorGetArgument, hashCursor;

    LibClang(Path library) {
        if (!Files.exists(library)) {
            throw new IllegalArgumentException("libclang not found at " + library);
        }
        lib = SymbolLookup.libraryLookup(library, Arena.global());
        createIndex = handle("clang_createIndex", FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT));
        disposeIndex = handle("clang_disposeIndex", FunctionDescriptor.ofVoid(ADDRESS));
        parseTranslationUnit2 = handle("clang_parseTranslationUnit2", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        disposeTranslationUnit = handle("clang_disposeTranslationUnit", FunctionDescriptor.ofVoid(ADDRESS));
        getNumDiagnostics = handle("clang_getNumDiagnostics", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getDiagnostic = handle("clang_getDiagnostic", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        formatDiagnostic = handle("clang_formatDiagnostic", FunctionDescriptor.of(CX_STRING, ADDRESS, JAVA_INT));
        getDiagnosticSeverity = handle("clang_getDiagnosticSeverity", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        disposeDiagnostic = handle("clang_disposeDiagnostic", FunctionDescriptor.ofVoid(ADDRESS));
        getDiagnosticLocation = handle("clang_getDiagnosticLocation", FunctionDescriptor.of(CX_SOURCE_LOCATION, ADDRESS));
        getTranslationUnitCursor = handle("clang_getTranslationUnitCursor", FunctionDescriptor.of(CX_CURSOR, ADDRESS));
        visitChildren = handle("clang_visitChildren", FunctionDescriptor.of(JAVA_INT, CX_CURSOR, ADDRESS, ADDRESS));
        getCursorKind = handle("clang_getCursorKind", FunctionDescriptor.of(JAVA_INT, CX_CURSOR));
        getCursorSpelling = handle("clang_getCursorSpelling", FunctionDescriptor.of(CX_STRING, CX_CURSOR));
        getCString = handle("clang_getCString", FunctionDescriptor.of(ADDRESS, CX_STRING));
        disposeString = handle("clang_disposeString", FunctionDescriptor.ofVoid(CX_STRING));
        getCursorType = handle("clang_getCursorType", FunctionDescriptor.of(CX_TYPE, CX_CURSOR));
        getCanonicalType = handle("clang_getCanonicalType", FunctionDescriptor.of(CX_TYPE, CX_TYPE));
        getPointeeType = handle("clang_getPointeeType", FunctionDescriptor.of(CX_TYPE, CX_TYPE));
        getResultType = handle("clang_getResultType", FunctionDescriptor.of(CX_TYPE, CX_TYPE));
        getNumArgTypes = handle("clang_getNumArgTypes", FunctionDescriptor.of(JAVA_INT, CX_TYPE));
        getArgType = handle("clang_getArgType", FunctionDescriptor.of(CX_TYPE, CX_TYPE, JAVA_INT));
        isFunctionTypeVariadic = handle("clang_isFunctionTypeVariadic", FunctionDescriptor.of(JAVA_INT, CX_TYPE));
        typeGetSizeOf = handle("clang_Type_getSizeOf", FunctionDescriptor.of(JAVA_LONG, CX_TYPE));
        typeGetOffsetOf = handle("clang_Type_getOffsetOf", FunctionDescriptor.of(JAVA_LONG, CX_TYPE, ADDRESS));
        getOffsetOfField = handle("clang_Cursor_getOffsetOfField", FunctionDescriptor.of(JAVA_LONG, CX_CURSOR));
        getArrayElementType = handle("clang_getArrayElementType", FunctionDescriptor.of(CX_TYPE, CX_TYPE));
        getArraySize = handle("clang_getArraySize", FunctionDescriptor.of(JAVA_LONG, CX_TYPE));
        getTypeDeclaration = handle("clang_getTypeDeclaration", FunctionDescriptor.of(CX_CURSOR, CX_TYPE));
        getTypedefDeclUnderlyingType = handle("clang_getTypedefDeclUnderlyingType", FunctionDescriptor.of(CX_TYPE, CX_CURSOR));
        getEnumConstantDeclValue = handle("clang_getEnumConstantDeclValue", FunctionDescriptor.of(JAVA_LONG, CX_CURSOR));
        getCursorLocation = handle("clang_getCursorLocation", FunctionDescriptor.of(CX_SOURCE_LOCATION, CX_CURSOR));
        getFileLocation = handle("clang_getFileLocation", FunctionDescriptor.ofVoid(CX_SOURCE_LOCATION, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        getFileName = handle("clang_getFileName", FunctionDescriptor.of(CX_STRING, ADDRESS));
        isAnonymousRecordDecl = handle("clang_Cursor_isAnonymousRecordDecl", FunctionDescriptor.of(JAVA_INT, CX_CURSOR));
        isBitField = handle("clang_Cursor_isBitField", FunctionDescriptor.of(JAVA_INT, CX_CURSOR));
        getCursorAvailability = handle("clang_getCursorAvailability", FunctionDescriptor.of(JAVA_INT, CX_CURSOR));
        isCursorDefinition = handle("clang_isCursorDefinition", FunctionDescriptor.of(JAVA_INT, CX_CURSOR));
        getTypeSpelling = handle("clang_getTypeSpelling", FunctionDescriptor.of(CX_STRING, CX_TYPE));
        isMacroFunctionLike = handle("clang_Cursor_isMacroFunctionLike", FunctionDescriptor.of(JAVA_INT, CX_CURSOR));
        evaluate = handle("clang_Cursor_Evaluate", FunctionDescriptor.of(ADDRESS, CX_CURSOR));
        evalGetKind = handle("clang_EvalResult_getKind", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        evalGetAsLongLong = handle("clang_EvalResult_getAsLongLong", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        evalIsUnsignedInt = handle("clang_EvalResult_isUnsignedInt", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        evalGetAsUnsigned = handle("clang_EvalResult_getAsUnsigned", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        evalGetAsDouble = handle("clang_EvalResult_getAsDouble", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS));
        evalGetAsStr = handle("clang_EvalResult_getAsStr", FunctionDescriptor.of(ADDRESS, ADDRESS));
        evalDispose = handle("clang_EvalResult_dispose", FunctionDescriptor.ofVoid(ADDRESS));
        getCursorResultType = handle("clang_getCursorResultType", FunctionDescriptor.of(CX_TYPE, CX_CURSOR));
        cursorGetNumArguments = handle("clang_Cursor_getNumArguments", FunctionDescriptor.of(JAVA_INT, CX_CURSOR));
        cursorGetArgument = handle("clang_Cursor_getArgument", FunctionDescriptor.of(CX_CURSOR, CX_CURSOR, JAVA_INT));
        hashCursor = handle("clang_hashCursor", FunctionDescriptor.of(JAVA_INT, CX_CURSOR));
    }

    private MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment address = lib.find(name)
                .orElseThrow(() -> new IllegalStateException("libclang lacks " + name));
        MethodHandle mh = LINKER.downcallHandle(address, descriptor);
        // Functions returning a struct take a leading allocator: always use this run's arena.
        if (descriptor.returnLayout().filter(l -> l instanceof java.lang.foreign.GroupLayout).isPresent()) {
            mh = MethodHandles.insertArguments(mh, 0, (SegmentAllocator) arena);
        }
        return mh.asSpreader(Object[].class, mh.type().parameterCount());
    }

    private Object call(MethodHandle mh, Object... args) {
        try {
            return mh.invoke(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A libclang cursor (a copy owned by this instance's arena). */
    record Cursor(MemorySegment segment) {}

    /** A libclang type (a copy owned by this instance's arena). */
    record Type(MemorySegment segment) {
        int kind() { return segment.get(JAVA_INT, 0); }
    }

    /** A parsed translation unit and its index. */
    record Unit(MemorySegment index, MemorySegment unit) {}

    Unit parse(String fileName, String contents, List<String> args) {
        MemorySegment index = (MemorySegment) call(createIndex, 0, 0);
        MemorySegment argv = arena.allocate(ADDRESS, args.size());
        for (int i = 0; i < args.size(); i++) {
            argv.setAtIndex(ADDRESS, i, arena.allocateFrom(args.get(i)));
        }
        MemorySegment unsaved = arena.allocate(CX_UNSAVED_FILE);
        MemorySegment bytes = arena.allocateFrom(contents);
        unsaved.set(ADDRESS, 0, arena.allocateFrom(fileName));
        unsaved.set(ADDRESS, 8, bytes);
        unsaved.set(JAVA_LONG, 16, bytes.byteSize() - 1);
        MemorySegment out = arena.allocate(ADDRESS);
        int error = (int) call(parseTranslationUnit2, index, arena.allocateFrom(fileName), argv, args.size(),
                unsaved, 1, PARSE_DETAILED_PREPROCESSING_RECORD, out);
        if (error != 0) {
            throw new IllegalStateException("libclang could not parse " + fileName + " (error " + error + ")");
        }
        return new Unit(index, out.get(ADDRESS, 0));
    }

    void dispose(Unit unit) {
        call(disposeTranslationUnit, unit.unit());
        call(disposeIndex, unit.index());
    }

    /** A diagnostic: its severity, the line it points at, and libclang's formatted text. */
    record Diagnostic(int severity, String file, int line, String text) {}

    List<Diagnostic> diagnostics(Unit unit) {
        List<Diagnostic> result = new ArrayList<>();
        int n = (int) call(getNumDiagnostics, unit.unit());
        for (int i = 0; i < n; i++) {
            MemorySegment d = (MemorySegment) call(getDiagnostic, unit.unit(), i);
            int severity = (int) call(getDiagnosticSeverity, d);
            String text = string((MemorySegment) call(formatDiagnostic, d, 0));
            Location loc = location((MemorySegment) call(getDiagnosticLocation, d));
            result.add(new Diagnostic(severity, loc.file(), loc.line(), text));
            call(disposeDiagnostic, d);
        }
        return result;
    }

    Cursor root(Unit unit) {
        return new Cursor((MemorySegment) call(getTranslationUnitCursor, unit.unit()));
    }

    /** The direct children of a cursor, in source order. */
    List<Cursor> children(Cursor parent) {
        List<Cursor> result = new ArrayList<>();
        try (Arena callArena = Arena.ofConfined()) {
            Consumer<MemorySegment> sink = c -> result.add(new Cursor(arena.allocate(CX_CURSOR).copyFrom(c)));
            MethodHandle target = MethodHandles.lookup().findStatic(LibClang.class, "visit",
                    MethodType.methodType(int.class, Consumer.class, MemorySegment.class, MemorySegment.class,
                            MemorySegment.class));
            target = MethodHandles.insertArguments(target, 0, sink);
            MemorySegment stub = LINKER.upcallStub(target,
                    FunctionDescriptor.of(JAVA_INT, CX_CURSOR, CX_CURSOR, ADDRESS), callArena);
            call(visitChildren, parent.segment(), stub, MemorySegment.NULL);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }

    @SuppressWarnings("unused") // called by libclang through the upcall stub
    private static int visit(Consumer<MemorySegment> sink, MemorySegment cursor, MemorySegment parent,
                             MemorySegment data) {
        sink.accept(cursor);
        return CHILD_VISIT_CONTINUE;
    }

    int kind(Cursor c) { return (int) call(getCursorKind, c.segment()); }

    String spelling(Cursor c) { return string((MemorySegment) call(getCursorSpelling, c.segment())); }

    Type type(Cursor c) { return new Type((MemorySegment) call(getCursorType, c.segment())); }

    Type resultType(Cursor c) { return new Type((MemorySegment) call(getCursorResultType, c.segment())); }

    int argumentCount(Cursor c) { return (int) call(cursorGetNumArguments, c.segment()); }

    Cursor argument(Cursor c, int i) { return new Cursor((MemorySegment) call(cursorGetArgument, c.segment(), i)); }

    Type canonical(Type t) { return new Type((MemorySegment) call(getCanonicalType, t.segment())); }

    Type pointee(Type t) { return new Type((MemorySegment) call(getPointeeType, t.segment())); }

    Type result(Type t) { return new Type((MemorySegment) call(getResultType, t.segment())); }

    int argTypeCount(Type t) { return (int) call(getNumArgTypes, t.segment()); }

    Type argType(Type t, int i) { return new Type((MemorySegment) call(getArgType, t.segment(), i)); }

    boolean variadic(Type t) { return (int) call(isFunctionTypeVariadic, t.segment()) != 0; }

    long sizeOf(Type t) { return (long) call(typeGetSizeOf, t.segment()); }

    /** Offset in bits of a (possibly anonymous-member) field, or a negative error code. */
    long offsetOf(Type record, String field) {
        return (long) call(typeGetOffsetOf, record.segment(), arena.allocateFrom(field));
    }

    long fieldOffsetBits(Cursor field) { return (long) call(getOffsetOfField, field.segment()); }

    Type elementType(Type array) { return new Type((MemorySegment) call(getArrayElementType, array.segment())); }

    long arraySize(Type array) { return (long) call(getArraySize, array.segment()); }

    Cursor declaration(Type t) { return new Cursor((MemorySegment) call(getTypeDeclaration, t.segment())); }

    Type typedefUnderlying(Cursor c) { return new Type((MemorySegment) call(getTypedefDeclUnderlyingType, c.segment())); }

    long enumValue(Cursor c) { return (long) call(getEnumConstantDeclValue, c.segment()); }

    boolean anonymousRecord(Cursor c) { return (int) call(isAnonymousRecordDecl, c.segment()) != 0; }

    boolean bitField(Cursor c) { return (int) call(isBitField, c.segment()) != 0; }

    boolean deprecated(Cursor c) { return (int) call(getCursorAvailability, c.segment()) == AVAILABILITY_DEPRECATED; }

    boolean definition(Cursor c) { return (int) call(isCursorDefinition, c.segment()) != 0; }

    boolean functionLikeMacro(Cursor c) { return (int) call(isMacroFunctionLike, c.segment()) != 0; }

    int hash(Cursor c) { return (int) call(hashCursor, c.segment()); }

    /**
     * A type's C spelling, without folders: clang names unnamed records by where they are written
     * ("struct (unnamed at /a/b/x.h:3:5)"), and generated code must not depend on the machine.
     */
    String spelling(Type t) {
        return string((MemorySegment) call(getTypeSpelling, t.segment()))
                .replaceAll("(\\(unnamed [a-z]+ at |\\(anonymous [a-z]+ at )[^()]*/([^/()]+\\))", "$1$2");
    }

    /** Where a declaration is written: file (as libclang names it) and line. */
    record Location(String file, int line) {}

    Location location(Cursor c) {
        return location((MemorySegment) call(getCursorLocation, c.segment()));
    }

    private Location location(MemorySegment sourceLocation) {
        MemorySegment file = arena.allocate(ADDRESS);
        MemorySegment line = arena.allocate(JAVA_INT);
        call(getFileLocation, sourceLocation, file, line, MemorySegment.NULL, MemorySegment.NULL);
        MemorySegment f = file.get(ADDRESS, 0);
        String name = f.equals(MemorySegment.NULL) ? "" : string((MemorySegment) call(getFileName, f));
        return new Location(name, line.get(JAVA_INT, 0));
    }

    /** The value of a constant expression (a variable's initializer), or null if libclang cannot say. */
    Object evaluate(Cursor c) {
        MemorySegment result = (MemorySegment) call(evaluate, c.segment());
        if (result.equals(MemorySegment.NULL)) {
            return null;
        }
        try {
            return switch ((int) call(evalGetKind, result)) {
                case EVAL_INT -> (int) call(evalIsUnsignedInt, result) != 0
                        ? (Object) (long) call(evalGetAsUnsigned, result)
                        : (Object) (long) call(evalGetAsLongLong, result);
                case EVAL_FLOAT -> (double) call(evalGetAsDouble, result);
                case EVAL_STR_LITERAL -> ((MemorySegment) call(evalGetAsStr, result)).reinterpret(Long.MAX_VALUE).getString(0);
                default -> null;
            };
        } finally {
            call(evalDispose, result);
        }
    }

    private String string(MemorySegment cxString) {
        MemorySegment chars = (MemorySegment) call(getCString, cxString);
        String s = chars.equals(MemorySegment.NULL) ? "" : chars.reinterpret(Long.MAX_VALUE).getString(0);
        call(disposeString, cxString);
        return s;
    }

    @Override
    public void close() {
        arena.close();
    }
}
