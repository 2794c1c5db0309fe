package dev.llamajvm.bindgen;

import java.util.Set;

/** Java's reserved words, which C uses freely as parameter and field names. */
final class JavaKeywords {
    private static final Set<String> WORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
            "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null", "_", "var", "record", "yield");

    private JavaKeywords() {}

    static boolean is(String name) {
        return WORDS.contains(name);
    }
}
