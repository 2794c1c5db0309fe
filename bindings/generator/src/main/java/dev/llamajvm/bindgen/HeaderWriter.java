package dev.llamajvm.bindgen;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes one header's class: a static method per C function (named exactly like it, with
 * {@code $descriptor()}, {@code $handle()} and {@code $address()} companions), and a static method
 * per enum constant and constant macro. Native symbols are resolved lazily, on a function's first use.
 */
final class HeaderWriter {

    private final String packageName;

    HeaderWriter(String packageName) {
        this.packageName = packageName;
    }

    String write(Model.Header header, String fileHeader) {
        SourceBuilder b = new SourceBuilder();
        b.line("/** The functions and constants of {@code " + header.fileName + "}. */");
        b.open("public final class " + header.className + " {");
        b.line();
        b.line("private " + header.className + "() {");
        b.line("    // static members only");
        b.line("}");
        for (Model.Constant c : header.constants) {
            b.line();
            b.cDoc(c.origin().equals("macro") ? "#define " + c.name() : c.origin() + " { " + c.name() + " }");
            b.open("public static " + c.type().carrier() + " " + c.name() + "() {");
            b.line("return " + Emit.literal(c) + ";");
            b.close("}");
        }
        for (Model.StringConstant s : header.strings) {
            b.line();
            b.open("private static final class " + s.name() + "$constant {");
            b.line("static final MemorySegment SEGMENT = Arena.global().allocateFrom(" + Emit.javaString(s.value()) + ");");
            b.close("}");
            b.line();
            b.cDoc("#define " + s.name() + " " + Emit.javaString(s.value()));
            b.line("public static MemorySegment " + s.name() + "() { return " + s.name() + "$constant.SEGMENT; }");
        }
        for (Model.FunctionDecl f : header.functions) {
            function(b, f);
        }
        b.close("}");
        return fileHeader + b;
    }

    private void function(SourceBuilder b, Model.FunctionDecl f) {
        String n = f.name();
        CType.Function sig = f.signature();
        b.line();
        b.open("private static final class " + n + " {");
        b.line("static final FunctionDescriptor DESC = " + Emit.descriptor(sig, packageName) + ";");
        b.line("static final MemorySegment ADDR = GeneratedSupport.findOrThrow(\"" + n + "\");");
        if (!sig.variadic()) {
            b.line("static final MethodHandle HANDLE = GeneratedSupport.LINKER.downcallHandle(ADDR, DESC);");
        }
        b.close("}");
        b.line();
        b.line("/** The function descriptor of {@code " + n + "}" + (sig.variadic() ? " (fixed parameters)" : "") + ". */");
        annotate(b, f);
        b.line("public static FunctionDescriptor " + n + "$descriptor() { return " + n + ".DESC; }");
        if (!sig.variadic()) {
            b.line();
            b.line("/** The downcall handle of {@code " + n + "}. */");
            annotate(b, f);
            b.line("public static MethodHandle " + n + "$handle() { return " + n + ".HANDLE; }");
        }
        b.line();
        b.line("/** The address of {@code " + n + "}. */");
        annotate(b, f);
        b.line("public static MemorySegment " + n + "$address() { return " + n + ".ADDR; }");
        b.line();
        b.cDoc(f.cSignature());
        annotate(b, f);
        if (sig.variadic()) {
            variadic(b, f);
        } else {
            b.open("public static " + sig.result().carrier() + " " + n + "(" + Emit.parameters(sig) + ") {");
            Emit.invokeExact(b, n + ".HANDLE", sig, Emit.arguments(sig));
            b.close("}");
        }
    }

    private static void annotate(SourceBuilder b, Model.FunctionDecl f) {
        if (f.deprecated()) {
            b.line("@Deprecated");
        }
    }

    /**
     * A variadic function takes its extra arguments as Objects; their C types follow from their
     * Java classes (C's default promotions: Integer int, Long long, Double double, MemorySegment pointer).
     */
    private void variadic(SourceBuilder b, Model.FunctionDecl f) {
        CType.Function sig = f.signature();
        if (Emit.returnsRecord(sig)) {
            throw new HeaderParser.UnsupportedTypeException("variadic function returning a struct: " + f.name());
        }
        String params = Emit.parameters(sig);
        b.open("public static " + sig.result().carrier() + " " + f.name() + "(" + params
                + (params.isEmpty() ? "" : ", ") + "Object... varargs) {");
        List<String> fixed = new ArrayList<>();
        sig.params().forEach(p -> fixed.add(p.name()));
        String call = "GeneratedSupport.invokeVariadic(" + f.name() + ".ADDR, " + f.name() + ".DESC, varargs"
                + (fixed.isEmpty() ? "" : ", " + String.join(", ", fixed)) + ")";
        if (sig.result() instanceof CType.Void) {
            b.line(call + ";");
        } else {
            b.line("return (" + boxed(sig.result().carrier()) + ") " + call + ";");
        }
        b.close("}");
    }

    private static String boxed(String carrier) {
        return switch (carrier) {
            case "int" -> "Integer";
            case "long" -> "Long";
            case "short" -> "Short";
            case "byte" -> "Byte";
            case "boolean" -> "Boolean";
            case "float" -> "Float";
            case "double" -> "Double";
            case "char" -> "Character";
            default -> carrier;
        };
    }
}
