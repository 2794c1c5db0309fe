package dev.llamajvm.bindings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A C header read as text, without libclang: comments, preprocessor lines and the contents of string
 * literals removed, which is enough to find the exported function declarations and struct tags.
 */
final class CHeaderText {

    /** The macros that introduce an exported function in the headers we bind. */
    private static final Pattern EXPORT =
            Pattern.compile("\\b(LLAMA_API|GGML_API|GGML_BACKEND_API|MTMD_API|LLAMA_JVM_[A-Z]+_API)\\b");
    /** Macros that wrap a whole declaration, e.g. {@code DEPRECATED(LLAMA_API void f(void), "hint")}. */
    private static final Set<String> WRAPPERS = Set.of("DEPRECATED", "GGML_DEPRECATED");
    /** Attribute-like macros whose parenthesised arguments are not the parameter list. */
    private static final Set<String> ATTRIBUTES =
            Set.of("__attribute__", "__declspec", "GGML_ATTRIBUTE_FORMAT", "alignas", "_Alignas");
    private static final Pattern IDENTIFIER_BEFORE = Pattern.compile("([A-Za-z_]\\w*)\\s*$");
    private static final Pattern POINTER_DECLARATOR = Pattern.compile("^\\(\\s*\\*\\s*([A-Za-z_]\\w*)\\s*\\(");

    final String code;

    private CHeaderText(String code) {
        this.code = code;
    }

    static CHeaderText read(Path header) {
        try {
            return of(Files.readString(header));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CHeaderText of(String source) {
        return new CHeaderText(dropPreprocessorLines(stripCommentsAndStrings(source)));
    }

    /** Whether the header defines {@code struct name { ... }} (or {@code union}, with kind "union"). */
    boolean definesTag(String kind, String name) {
        return Pattern.compile("\\b" + kind + "\\s+" + Pattern.quote(name) + "\\s*\\{").matcher(code).find();
    }

    /** Whether {@code name} occurs as a whole identifier anywhere in the raw header. */
    static boolean mentions(String rawSource, String name) {
        return Pattern.compile("(?<![\\w])" + Pattern.quote(name) + "(?![\\w])").matcher(rawSource).find();
    }

    /** The names of the functions declared with an export macro, in order of appearance. */
    Set<String> exportedFunctions() {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = EXPORT.matcher(code);
        while (m.find()) {
            int end = code.indexOf(';', m.end());
            if (end < 0) {
                throw new IllegalStateException("no ';' after " + m.group() + " at offset " + m.start());
            }
            String name = declaredFunction(code.substring(m.end(), end));
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The function a declaration (the text after the export macro, up to its ';') declares, or null when
     * it declares no function (a variable). The name is the identifier before the first '(' that is not
     * a wrapper or attribute macro; for {@code T (*f(params))(params)} it is the one after "(*".
     */
    static String declaredFunction(String declaration) {
        int from = 0;
        while (true) {
            int open = declaration.indexOf('(', from);
            if (open < 0) {
                return null;
            }
            Matcher pointer = POINTER_DECLARATOR.matcher(declaration.substring(open));
            if (pointer.find()) {
                return pointer.group(1);
            }
            Matcher before = IDENTIFIER_BEFORE.matcher(declaration.substring(0, open));
            String identifier = before.find() ? before.group(1) : null;
            if (identifier != null && WRAPPERS.contains(identifier)) {
                from = open + 1;
            } else if (identifier != null && ATTRIBUTES.contains(identifier)) {
                from = matchingParen(declaration, open) + 1;
            } else if (identifier != null) {
                return identifier;
            } else {
                throw new IllegalStateException("cannot read the declaration: " + declaration.strip());
            }
        }
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced parentheses: " + s.strip());
    }

    /** Replaces comments by a space and empties string and character literals (their quotes stay). */
    static String stripCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                String comment = s.substring(i, end < 0 ? s.length() : end + 2);
                // keep line breaks so that preprocessor lines stay recognisable
                out.append(' ').append(comment.replaceAll("[^\n]", ""));
                i = end < 0 ? s.length() : end + 2;
            } else if (c == '"' || c == '\'') {
                out.append(c);
                i++;
                while (i < s.length() && s.charAt(i) != c && s.charAt(i) != '\n') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                out.append(c);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** What the current branch of an open {@code #if} depends on. */
    private enum Branch { CPLUSPLUS_ONLY, C_ONLY, OTHER }

    /**
     * Drops preprocessor lines (with their backslash continuations) and, as a C compiler would, the
     * lines of {@code #ifdef __cplusplus} branches (C++-only declarations, such as ones returning
     * {@code std::map}). The branches of other conditionals are all kept.
     */
    static String dropPreprocessorLines(String s) {
        StringBuilder out = new StringBuilder(s.length());
        ArrayDeque<Branch> open = new ArrayDeque<>();
        StringBuilder directive = null;
        for (String line : s.split("\n", -1)) {
            if (directive == null && line.stripLeading().startsWith("#")) {
                directive = new StringBuilder();
            }
            if (directive != null) {
                directive.append(line);
                if (!line.stripTrailing().endsWith("\\")) {
                    track(directive.toString().strip().substring(1), open);
                    directive = null;
                }
            } else if (!open.contains(Branch.CPLUSPLUS_ONLY)) {
                out.append(line);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void track(String directive, ArrayDeque<Branch> open) {
        String d = directive.replaceAll("[\\s\\\\]+", " ").strip();
        if (d.startsWith("if")) {
            boolean cplusplus = d.equals("ifdef __cplusplus") || d.equals("if defined(__cplusplus)")
                    || d.equals("if __cplusplus");
            boolean notCplusplus = d.equals("ifndef __cplusplus") || d.equals("if !defined(__cplusplus)");
            open.push(cplusplus ? Branch.CPLUSPLUS_ONLY : notCplusplus ? Branch.C_ONLY : Branch.OTHER);
        } else if (d.startsWith("el") && !open.isEmpty()) {
            Branch was = open.pop();
            open.push(was == Branch.CPLUSPLUS_ONLY ? (d.startsWith("else") ? Branch.C_ONLY : Branch.OTHER)
                    : was == Branch.C_ONLY ? Branch.CPLUSPLUS_ONLY
                    : Branch.OTHER);
        } else if (d.startsWith("endif") && !open.isEmpty()) {
            open.pop();
        }
    }
}
