package dev.plugboard.console.complete;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A resource's URI template (RFC 6570, levels 1 to 3): its variables, for a form, and the URI the form's
 * values make. A value left empty is undefined, as the RFC says, and its expression adds nothing.
 */
public final class UriTemplate {

    private static final String OPERATORS = "+#./;?&";

    private final String template;
    private final List<Object> parts;

    private UriTemplate(String template, List<Object> parts) {
        this.template = template;
        this.parts = parts;
    }

    /** Parses a template; an unclosed brace is kept as text. */
    public static UriTemplate parse(String template) {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf('{', at);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (open < 0 || close < 0) {
                parts.add(template.substring(at));
                break;
            }
            if (open > at) {
                parts.add(template.substring(at, open));
            }
            String body = template.substring(open + 1, close);
            char operator = !body.isEmpty() && OPERATORS.indexOf(body.charAt(0)) >= 0 ? body.charAt(0) : 0;
            List<String> names = new ArrayList<>();
            for (String name : (operator == 0 ? body : body.substring(1)).split(",")) {
                String plain = name.strip().replaceAll("(\\*|:\\d+)$", "");
                if (!plain.isEmpty()) {
                    names.add(plain);
                }
            }
            parts.add(new Expression(operator, names));
            at = close + 1;
        }
        return new UriTemplate(template, List.copyOf(parts));
    }

    /** The template as given. */
    public String template() {
        return template;
    }

    /** The variables' names, in order, each once. */
    public List<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        for (Object part : parts) {
            if (part instanceof Expression e) {
                names.addAll(e.names());
            }
        }
        return List.copyOf(names);
    }

    /** The URI made from the values (missing or empty values are undefined). */
    public String expand(Map<String, String> values) {
        StringBuilder uri = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Expression e) {
                e.expand(values, uri);
            } else {
                uri.append(part);
            }
        }
        return uri.toString();
    }

    private record Expression(char operator, List<String> names) {

        void expand(Map<String, String> values, StringBuilder uri) {
            boolean first = true;
            boolean reserved = operator == '+' || operator == '#';
            boolean named = operator == ';' || operator == '?' || operator == '&';
            String separator = switch (operator) {
                case '.' -> ".";
                case '/' -> "/";
                case ';' -> ";";
                case '?', '&' -> "&";
                default -> ",";
            };
            for (String name : names) {
                String value = values.get(name);
                if (value == null || value.isEmpty()) {
                    continue;
                }
                if (first) {
                    if (operator != 0 && operator != '+') {
                        uri.append(operator == '&' ? '&' : operator);
                    }
                    first = false;
                } else {
                    uri.append(separator);
                }
                if (named) {
                    uri.append(name).append('=');
                }
                uri.append(encode(value, reserved));
            }
        }
    }

    private static String encode(String value, boolean reserved) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved || (reserved && ":/?#[]@!$&'()*+,;=".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }
}
