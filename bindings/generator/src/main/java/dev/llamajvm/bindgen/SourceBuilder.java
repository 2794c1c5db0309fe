package dev.llamajvm.bindgen;

/** A StringBuilder that indents lines, so the writers read like the code they emit. */
final class SourceBuilder {
    private final StringBuilder out = new StringBuilder();
    private int indent;

    SourceBuilder line(String text) {
        if (!text.isEmpty()) {
            out.append("    ".repeat(indent)).append(text);
        }
        out.append('\n');
        return this;
    }

    SourceBuilder line() {
        return line("");
    }

    SourceBuilder open(String text) {
        line(text);
        indent++;
        return this;
    }

    SourceBuilder close(String text) {
        indent--;
        return line(text);
    }

    /** A Javadoc comment showing the C declaration this Java element binds. */
    SourceBuilder cDoc(String cDeclaration) {
        String safe = cDeclaration.replace("*/", "* /").replace("@", "{@literal @}");
        line("/**");
        line(" * {@snippet lang=c :");
        line(" * " + safe);
        line(" * }");
        return line(" */");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
