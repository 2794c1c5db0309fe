package dev.llamajvm.bindgen;

import dev.llamajvm.bindgen.LibClang.Cursor;
import dev.llamajvm.bindgen.LibClang.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads C headers through libclang and fills a {@link Model}: functions, records, enum constants,
 * object-like macros and function-pointer typedefs declared in the requested headers, plus every
 * record those use by value (wherever it is declared). Sizes and offsets come from clang itself.
 */
final class HeaderParser {

    private static final int CURSOR_STRUCT = 2, CURSOR_UNION = 3, CURSOR_ENUM = 5, CURSOR_FIELD = 6,
            CURSOR_ENUM_CONSTANT = 7, CURSOR_FUNCTION = 8, CURSOR_VAR = 9, CURSOR_PARAM = 10,
            CURSOR_TYPEDEF = 20, CURSOR_MACRO_DEFINITION = 501;
    private static final int TYPE_VOID = 2, TYPE_BOOL = 3, TYPE_POINTER = 101, TYPE_RECORD = 105,
            TYPE_ENUM = 106, TYPE_FUNCTION_NO_PROTO = 110, TYPE_FUNCTION_PROTO = 111,
            TYPE_CONSTANT_ARRAY = 112, TYPE_INCOMPLETE_ARRAY = 114;
    private static final String MACRO_PREFIX = "bindgen_macro_";

    /** A header to bind and the name of the Java class its functions and constants go into. */
    record Input(String className, Path path) {}

    private final LibClang clang;
    private final List<Input> inputs;
    private final List<String> clangArgs;
    private final Model model = new Model();
    private final Map<Path, Model.Header> headerByFile = new HashMap<>();
    /** Typedef names of anonymous records ({@code typedef struct { ... } name;}), by record cursor hash. */
    private final Map<Integer, String> typedefNames = new HashMap<>();
    private final Set<String> recordsInProgress = new HashSet<>();

    HeaderParser(LibClang clang, List<Input> inputs, List<String> clangArgs) {
        this.clang = clang;
        this.inputs = inputs;
        this.clangArgs = clangArgs;
    }

    Model parse() {
        StringBuilder main = new StringBuilder();
        for (Input in : inputs) {
            Path real = realPath(in.path());
            var header = new Model.Header(in.className(), real.getFileName().toString());
            model.headers.put(in.className(), header);
            headerByFile.put(real, header);
            main.append("#include \"").append(real).append("\"\n");
        }
        LibClang.Unit unit = clang.parse("bindgen_input.c", main.toString(), clangArgs);
        try {
            failOnErrors(unit);
            List<Cursor> top = clang.children(clang.root(unit));
            for (Cursor c : top) {
                if (clang.kind(c) == CURSOR_TYPEDEF) {
                    rememberTypedefName(c);
                }
            }
            List<String> macros = new ArrayList<>();
            for (Cursor c : top) {
                Model.Header header = headerOf(c);
                if (header != null) {
                    declare(c, header, macros);
                }
            }
            evaluateMacros(main.toString(), macros);
        } finally {
            clang.dispose(unit);
        }
        return model;
    }

    private void failOnErrors(LibClang.Unit unit) {
        List<String> errors = clang.diagnostics(unit).stream()
                .filter(d -> d.severity() >= LibClang.DIAGNOSTIC_ERROR).map(LibClang.Diagnostic::text).toList();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the headers do not compile:\n" + String.join("\n", errors));
        }
    }

    private void rememberTypedefName(Cursor typedef) {
        Type underlying = clang.canonical(clang.typedefUnderlying(typedef));
        if (underlying.kind() == TYPE_RECORD) {
            Cursor decl = clang.declaration(underlying);
            if (isUnnamed(clang.spelling(decl))) {
                typedefNames.putIfAbsent(clang.hash(decl), clang.spelling(typedef));
            }
        }
    }

    private void declare(Cursor c, Model.Header header, List<String> macros) {
        String name = clang.spelling(c);
        switch (clang.kind(c)) {
            case CURSOR_FUNCTION -> declareFunction(c, name, header);
            case CURSOR_STRUCT, CURSOR_UNION -> {
                if (clang.definition(c) && !isUnnamed(name)) {
                    recordNamed(name, c);
                }
            }
            case CURSOR_TYPEDEF -> declareTypedef(c, name);
            case CURSOR_ENUM -> {
                for (Cursor constant : clang.children(c)) {
                    if (clang.kind(constant) == CURSOR_ENUM_CONSTANT) {
                        boolean wide = clang.sizeOf(clang.type(c)) > 4;
                        long value = clang.enumValue(constant);
                        header.constants.add(new Model.Constant(clang.spelling(constant),
                                wide ? CType.Primitive.LONG : CType.Primitive.INT, value, "enum " + name));
                    }
                }
            }
            case CURSOR_MACRO_DEFINITION -> {
                if (!clang.functionLikeMacro(c) && !name.startsWith("_")) {
                    macros.add(name);
                }
            }
            case CURSOR_VAR -> model.skipped.add("variable " + name + " (global variables are not bound)");
            default -> { }
        }
    }

    private void declareFunction(Cursor c, String name, Model.Header header) {
        if (header.functions.stream().anyMatch(f -> f.name().equals(name))) {
            return; // a redeclaration
        }
        try {
            Type type = clang.type(c);
            List<CType.Param> params = new ArrayList<>();
            List<String> cParams = new ArrayList<>();
            int n = clang.argumentCount(c);
            for (int i = 0; i < n; i++) {
                Cursor arg = clang.argument(c, i);
                Type argType = clang.type(arg);
                String argName = javaName(clang.spelling(arg), i);
                params.add(new CType.Param(argName, valueType(argType), clang.spelling(argType)));
                cParams.add(clang.spelling(argType) + " " + clang.spelling(arg));
            }
            boolean variadic = clang.variadic(type);
            if (variadic) {
                cParams.add("...");
            }
            Type resultType = clang.resultType(c);
            CType result = valueType(resultType);
            String cSignature = clang.spelling(resultType) + " " + name + "(" + String.join(", ", cParams) + ")";
            header.functions.add(new Model.FunctionDecl(name, new CType.Function(result, params, variadic),
                    cSignature, clang.deprecated(c)));
        } catch (UnsupportedTypeException e) {
            model.skipped.add("function " + name + ": " + e.getMessage());
        }
    }

    private void declareTypedef(Cursor c, String name) {
        Type underlying = clang.typedefUnderlying(c);
        Type canonical = clang.canonical(underlying);
        if (canonical.kind() == TYPE_RECORD) {
            Cursor decl = clang.declaration(canonical);
            if (clang.definition(decl) && name.equals(typedefNames.get(clang.hash(decl)))) {
                recordNamed(name, decl);
            }
        } else if (canonical.kind() == TYPE_POINTER && isFunction(clang.canonical(clang.pointee(canonical)))) {
            try {
                CType.Function signature = signature(clang.canonical(clang.pointee(canonical)), parameterNames(c));
                model.functionPointers.put(name, new Model.FunctionPointerTypedef(name, signature, clang.spelling(underlying)));
                model.functionPointerOrigins.put(name, originOf(c));
            } catch (UnsupportedTypeException e) {
                model.skipped.add("function pointer typedef " + name + ": " + e.getMessage());
            }
        }
    }

    /** The names of a declaration's parameters (a function-pointer typedef or field lists them as children). */
    private List<String> parameterNames(Cursor c) {
        List<String> names = new ArrayList<>();
        for (Cursor child : clang.children(c)) {
            if (clang.kind(child) == CURSOR_PARAM) {
                names.add(clang.spelling(child));
            }
        }
        return names;
    }

    private CType.Function signature(Type functionType, List<String> names) {
        List<CType.Param> params = new ArrayList<>();
        int n = clang.argTypeCount(functionType);
        for (int i = 0; i < n; i++) {
            Type t = clang.argType(functionType, i);
            String name = javaName(i < names.size() ? names.get(i) : "", i);
            params.add(new CType.Param(name, valueType(t), clang.spelling(t)));
        }
        return new CType.Function(valueType(clang.result(functionType)), params, clang.variadic(functionType));
    }

    /** The type of a parameter or result: arrays decay to pointers. */
    private CType valueType(Type t) {
        Type canonical = clang.canonical(t);
        int kind = canonical.kind();
        if (kind == TYPE_CONSTANT_ARRAY || kind == TYPE_INCOMPLETE_ARRAY) {
            return CType.Primitive.POINTER;
        }
        return scalarOrRecord(canonical);
    }

    private CType scalarOrRecord(Type canonical) {
        int kind = canonical.kind();
        return switch (kind) {
            case TYPE_VOID -> new CType.Void();
            case TYPE_BOOL -> CType.Primitive.BOOL;
            case 4, 5, 13, 14 -> CType.Primitive.BYTE;          // char, unsigned/signed char
            case 6, 8, 16 -> CType.Primitive.SHORT;             // char16_t, (unsigned) short
            case 7, 9, 15, 17 -> CType.Primitive.INT;           // char32_t, wchar_t, (unsigned) int
            case 10, 11, 18, 19 -> CType.Primitive.LONG;        // (unsigned) long, long long
            case 21 -> CType.Primitive.FLOAT;
            case 22 -> CType.Primitive.DOUBLE;
            case TYPE_POINTER -> CType.Primitive.POINTER;
            case TYPE_ENUM -> clang.sizeOf(canonical) > 4 ? CType.Primitive.LONG : CType.Primitive.INT;
            case TYPE_RECORD -> new CType.Record(recordClass(canonical));
            default -> throw new UnsupportedTypeException(clang.spelling(canonical));
        };
    }

    /** The generated class of a named record used by value, generating it if it is not yet known. */
    private String recordClass(Type canonical) {
        Cursor decl = clang.declaration(canonical);
        String name = recordName(decl);
        if (name == null) {
            throw new UnsupportedTypeException("an unnamed " + clang.spelling(canonical) + " used by value");
        }
        if (!clang.definition(decl)) {
            throw new UnsupportedTypeException("incomplete " + clang.spelling(canonical) + " used by value");
        }
        recordNamed(name, decl);
        return name;
    }

    private String recordName(Cursor decl) {
        String spelling = clang.spelling(decl);
        return isUnnamed(spelling) ? typedefNames.get(clang.hash(decl)) : spelling;
    }

    private void recordNamed(String name, Cursor decl) {
        if (model.records.containsKey(name) || !recordsInProgress.add(name)) {
            return;
        }
        Model.RecordDecl record = record(name, decl);
        model.records.put(name, record);
        model.recordOrigins.put(name, originOf(decl));
        recordsInProgress.remove(name);
    }

    private Model.RecordDecl record(String name, Cursor decl) {
        Type type = clang.type(decl);
        boolean union = clang.kind(decl) == CURSOR_UNION;
        List<Model.Member> members = new ArrayList<>();
        for (Cursor child : clang.children(decl)) {
            int kind = clang.kind(child);
            if (kind == CURSOR_FIELD) {
                members.add(field(name, child));
            } else if ((kind == CURSOR_STRUCT || kind == CURSOR_UNION) && clang.anonymousRecord(child)) {
                Model.RecordDecl inner = record("", child);
                members.add(new Model.AnonymousMember(inner, anonymousOffset(type, child)));
            } else if ((kind == CURSOR_STRUCT || kind == CURSOR_UNION) && clang.definition(child)
                    && !isUnnamed(clang.spelling(child))) {
                recordNamed(clang.spelling(child), child); // C hoists nested named structs to file scope
            }
        }
        return new Model.RecordDecl(name, union, clang.sizeOf(type), members);
    }

    private Model.Field field(String owner, Cursor field) {
        String name = clang.spelling(field);
        if (clang.bitField(field)) {
            throw new IllegalStateException("bit-field " + owner + "." + name + " is not supported");
        }
        long offset = clang.fieldOffsetBits(field) / 8;
        Type declared = clang.type(field);
        Type canonical = clang.canonical(declared);
        String cSpelling = clang.spelling(declared);
        if (declared.kind() == TYPE_POINTER && isFunction(clang.canonical(clang.pointee(declared)))) {
            CType.Function signature = signature(clang.canonical(clang.pointee(declared)), parameterNames(field));
            return new Model.Field(name, new CType.FunctionPointer(signature), offset, cSpelling, null);
        }
        if (canonical.kind() == TYPE_RECORD && isUnnamed(clang.spelling(clang.declaration(canonical)))
                && recordName(clang.declaration(canonical)) == null) {
            Model.RecordDecl nested = record(name, clang.declaration(canonical));
            return new Model.Field(name, new CType.Record(javaName(name, 0)), offset, cSpelling, nested);
        }
        return new Model.Field(name, fieldType(canonical, owner + "." + name), offset, cSpelling, null);
    }

    private CType fieldType(Type canonical, String where) {
        if (canonical.kind() == TYPE_CONSTANT_ARRAY) {
            Type element = clang.canonical(clang.elementType(canonical));
            return new CType.Array(fieldType(element, where), clang.arraySize(canonical));
        }
        if (canonical.kind() == TYPE_INCOMPLETE_ARRAY) {
            throw new IllegalStateException("flexible array member " + where + " is not supported");
        }
        return scalarOrRecord(canonical);
    }

    /** Where an anonymous member starts in its parent: clang resolves member names through it. */
    private long anonymousOffset(Type parent, Cursor anonymous) {
        for (Cursor child : clang.children(anonymous)) {
            if (clang.kind(child) == CURSOR_FIELD) {
                long inParent = clang.offsetOf(parent, clang.spelling(child));
                return (inParent - clang.fieldOffsetBits(child)) / 8;
            }
        }
        throw new IllegalStateException("anonymous member without named fields in " + clang.spelling(parent));
    }

    /**
     * Evaluates object-like macros by compiling one variable per macro in a second translation unit;
     * macros that are not constants (types, attributes, expressions clang cannot fold) are left out.
     */
    private void evaluateMacros(String includes, List<String> macros) {
        if (macros.isEmpty()) {
            return;
        }
        StringBuilder source = new StringBuilder(includes);
        int firstLine = (int) includes.lines().count() + 1;
        for (String macro : macros) {
            source.append("static const __auto_type ").append(MACRO_PREFIX).append(macro)
                    .append(" = ").append(macro).append(";\n");
        }
        LibClang.Unit unit = clang.parse("bindgen_macros.c", source.toString(), clangArgs);
        try {
            Set<Integer> badLines = new HashSet<>();
            for (LibClang.Diagnostic d : clang.diagnostics(unit)) {
                if (d.severity() >= LibClang.DIAGNOSTIC_ERROR) {
                    badLines.add(d.line());
                }
            }
            Map<String, Cursor> vars = new LinkedHashMap<>();
            Map<String, Model.Header> macroHeaders = new HashMap<>();
            for (Cursor c : clang.children(clang.root(unit))) {
                String name = clang.spelling(c);
                if (clang.kind(c) == CURSOR_VAR && name.startsWith(MACRO_PREFIX)) {
                    vars.put(name.substring(MACRO_PREFIX.length()), c);
                } else if (clang.kind(c) == CURSOR_MACRO_DEFINITION && headerOf(c) != null) {
                    macroHeaders.putIfAbsent(name, headerOf(c));
                }
            }
            for (int i = 0; i < macros.size(); i++) {
                String macro = macros.get(i);
                Cursor var = vars.get(macro);
                Model.Header header = macroHeaders.get(macro);
                if (var == null || header == null || badLines.contains(firstLine + i)) {
                    continue;
                }
                addMacro(header, macro, clang.canonical(clang.type(var)), clang.evaluate(var));
            }
        } finally {
            clang.dispose(unit);
        }
    }

    private void addMacro(Model.Header header, String name, Type type, Object value) {
        if (value instanceof String s) {
            header.strings.add(new Model.StringConstant(name, s));
        } else if (value instanceof Long l) {
            boolean wide = clang.sizeOf(type) > 4;
            header.constants.add(new Model.Constant(name, wide ? CType.Primitive.LONG : CType.Primitive.INT, l, "macro"));
        } else if (value instanceof Double d) {
            boolean isFloat = type.kind() == 21;
            header.constants.add(new Model.Constant(name, isFloat ? CType.Primitive.FLOAT : CType.Primitive.DOUBLE, d, "macro"));
        }
    }

    private Model.Header headerOf(Cursor c) {
        String file = clang.location(c).file();
        return headerByName.computeIfAbsent(file, f -> {
            Path p = Path.of(f);
            return f.isEmpty() || !java.nio.file.Files.exists(p) ? NO_HEADER : headerByFile.getOrDefault(realPath(p), NO_HEADER);
        }) instanceof Model.Header h && h != NO_HEADER ? h : null;
    }

    private static final Model.Header NO_HEADER = new Model.Header("", "");
    /** libclang's file names (as written in #include lines) resolved to our headers, or NO_HEADER. */
    private final Map<String, Model.Header> headerByName = new HashMap<>();

    private String originOf(Cursor c) {
        String file = clang.location(c).file();
        return file.isEmpty() ? "" : Path.of(file).getFileName().toString();
    }

    private boolean isFunction(Type canonical) {
        return canonical.kind() == TYPE_FUNCTION_PROTO || canonical.kind() == TYPE_FUNCTION_NO_PROTO;
    }

    private static boolean isUnnamed(String spelling) {
        return spelling.isEmpty() || spelling.contains("(unnamed") || spelling.contains("(anonymous");
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /** A Java identifier for a C name: Java keywords get a trailing underscore, blanks a position name. */
    static String javaName(String cName, int position) {
        if (cName.isEmpty()) {
            return "x" + position;
        }
        return JavaKeywords.is(cName) ? cName + "_" : cName;
    }

    /** A C type the bindings cannot carry (e.g. long double, __int128): the declaration is skipped. */
    static final class UnsupportedTypeException extends RuntimeException {
        UnsupportedTypeException(String type) {
            super("unsupported type " + type);
        }
    }
}
