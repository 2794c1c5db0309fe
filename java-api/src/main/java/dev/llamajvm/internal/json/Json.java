package dev.llamajvm.internal.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the chat bridge needs, so the library has no dependency: writes strings and
 * values, reads text into {@code Map} (insertion-ordered), {@code List}, {@code String},
 * {@code Long} (or {@code BigInteger} beyond its range), {@code BigDecimal} (numbers with a
 * fraction or exponent, exactly as written), {@code Boolean} and {@code null}.
 *
 * <p>Reading is recursive, so nesting is limited to {@link #MAX_DEPTH} levels: deeper text (a
 * model's runaway tool call, say) is an IllegalArgumentException, not a StackOverflowError.
 */
public final class Json {

    /** The deepest nesting of arrays and objects {@link #parse} reads. */
    public static final int MAX_DEPTH = 512;

    private Json() {
    }

    /** Writes a value made of the types {@link #parse} returns (any Number, any Map with String keys). */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** Marks text that is already JSON, so {@link #write} copies it as it is. */
    public record Raw(String json) {
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Raw raw) {
            out.append(raw.json());
        } else if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof BigDecimal d) {
            out.append(d); // its toString is valid JSON (1E+3 at worst) and exact
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            out.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote((String) e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Reads one JSON value; throws IllegalArgumentException saying where the text is not JSON. */
    public static Object parse(String text) {
        Reader reader = new Reader(text);
        reader.skipSpace();
        Object value = reader.value();
        reader.skipSpace();
        if (reader.pos != text.length()) {
            throw reader.error("text after the JSON value");
        }
        return value;
    }

    /** Reads a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, not " + text);
        }
        return (Map<String, Object>) value;
    }

    private static final class Reader {
        private final String text;
        private int pos;
        private int depth;

        Reader(String text) {
            this.text = text;
        }

        Object value() {
            if (pos >= text.length()) {
                throw error("the text ends where a value should be");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{', '[' -> nested(c);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Object nested(char open) {
            if (depth == MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH + " levels");
            }
            depth++;
            Object value = open == '{' ? object() : array();
            depth--;
            return value;
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("expected a quoted key");
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipSpace();
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    throw error("unterminated escape");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append(unicodeEscape());
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private char unicodeEscape() {
            if (pos + 4 > text.length()) {
                throw error("short \\u escape");
            }
            int code = 0;
            for (int end = pos + 4; pos < end; pos++) {
                int digit = Character.digit(text.charAt(pos), 16);
                if (digit < 0) {
                    throw error("bad \\u escape");
                }
                code = code * 16 + digit;
            }
            return (char) code;
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("expected " + word);
            }
            pos += word.length();
            return value;
        }

        /** A number as JSON writes it; integers that do not fit a long and all decimals stay exact. */
        private Object number() {
            int start = pos;
            accept('-');
            if (!accept('0') && digits() == 0) {
                throw pos < text.length() ? error("unexpected character '" + text.charAt(pos) + "'")
                        : error("the text ends inside a number");
            }
            boolean integer = true;
            if (accept('.')) {
                integer = false;
                requireDigits();
            }
            if (accept('e') || accept('E')) {
                integer = false;
                if (!accept('+')) {
                    accept('-');
                }
                requireDigits();
            }
            String n = text.substring(start, pos);
            try {
                if (!integer) {
                    return new BigDecimal(n);
                }
                return n.length() < 19 ? (Object) Long.parseLong(n) : narrowest(new BigInteger(n));
            } catch (NumberFormatException e) { // an exponent beyond what BigDecimal holds
                throw error("number out of range " + n);
            }
        }

        private static Object narrowest(BigInteger n) {
            return n.bitLength() < 64 ? (Object) n.longValue() : n;
        }

        private int digits() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            return pos - start;
        }

        private void requireDigits() {
            if (digits() == 0) {
                throw error("expected a digit");
            }
        }

        private boolean accept(char c) {
            if (peek() == c) {
                pos++;
                return true;
            }
            return false;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("not valid JSON at offset " + pos + ": " + what);
        }
    }
}
