package dev.plugboard.plugins.essentials;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259), so that the JSON tools need no library.
 * Objects read as {@code LinkedHashMap}, arrays as {@code ArrayList}, numbers as {@code BigDecimal},
 * and {@code null} as {@link #NULL}.
 */
final class Json {

    /** The JSON null value. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final int MAX_DEPTH = 500;

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Parses a JSON text.
     *
     * @throws IllegalArgumentException naming the line and column of the first error
     */
    static Object parse(String text) {
        Json p = new Json(text);
        p.space();
        Object value = p.value();
        p.space();
        if (p.pos < text.length()) {
            throw p.error("unexpected text after the value");
        }
        return value;
    }

    /** Writes a value as JSON; indent 0 writes it on one line. */
    static String write(Object value, int indent) {
        StringBuilder sb = new StringBuilder();
        write(value, indent, 0, sb);
        return sb.toString();
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object() {
        nest();
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        space();
        if (peek('}')) {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            space();
            if (!peek('"')) {
                throw error("expected a string key");
            }
            String key = string();
            space();
            expect(':');
            space();
            if (map.put(key, value()) != null) {
                throw error("duplicate key \"" + key + "\"");
            }
            space();
            if (peek(',')) {
                pos++;
                continue;
            }
            expect('}');
            depth--;
            return map;
        }
    }

    private List<Object> array() {
        nest();
        pos++;
        List<Object> list = new ArrayList<>();
        space();
        if (peek(']')) {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            space();
            list.add(value());
            space();
            if (peek(',')) {
                pos++;
                continue;
            }
            expect(']');
            depth--;
            return list;
        }
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("truncated \\u escape");
                    }
                    String hex = text.substring(pos, pos + 4);
                    if (!hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        throw error("invalid \\u escape");
                    }
                    sb.append((char) Integer.parseInt(hex, 16));
                    pos += 4;
                }
                default -> throw error("invalid escape \\" + e);
            }
        }
    }

    private BigDecimal number() {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        if (peek('0')) {
            pos++;
        } else if (!digits()) {
            throw error("invalid number");
        }
        if (peek('.')) {
            pos++;
            if (!digits()) {
                throw error("invalid number: digits expected after '.'");
            }
        }
        if (peek('e') || peek('E')) {
            pos++;
            if (peek('+') || peek('-')) {
                pos++;
            }
            if (!digits()) {
                throw error("invalid number: digits expected in the exponent");
            }
        }
        return new BigDecimal(text.substring(start, pos));
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected characters");
        }
        pos += word.length();
        return value;
    }

    private void nest() {
        if (++depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private void space() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String message) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException(message + " at line " + line + ", column " + column);
    }

    private static void write(Object value, int indent, int level, StringBuilder sb) {
        if (value instanceof Map<?, ?> map) {
            writeContainer(map.entrySet(), '{', '}', indent, level, sb, (entry, out) -> {
                quote(String.valueOf(((Map.Entry<?, ?>) entry).getKey()), out);
                out.append(indent > 0 ? ": " : ":");
                write(((Map.Entry<?, ?>) entry).getValue(), indent, level + 1, out);
            });
        } else if (value instanceof List<?> list) {
            writeContainer(list, '[', ']', indent, level, sb, (item, out) -> write(item, indent, level + 1, out));
        } else if (value instanceof String s) {
            quote(s, sb);
        } else if (value instanceof BigDecimal n) {
            sb.append(n.toString());
        } else {
            sb.append(value);
        }
    }

    private interface ItemWriter {
        void write(Object item, StringBuilder out);
    }

    private static void writeContainer(Iterable<?> items, char open, char close, int indent, int level,
            StringBuilder sb, ItemWriter writer) {
        sb.append(open);
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline(indent, level + 1, sb);
            writer.write(item, sb);
        }
        if (!first) {
            newline(indent, level, sb);
        }
        sb.append(close);
    }

    private static void newline(int indent, int level, StringBuilder sb) {
        if (indent > 0) {
            sb.append('\n').append(" ".repeat(indent * level));
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
