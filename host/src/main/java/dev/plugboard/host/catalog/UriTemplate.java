package dev.plugboard.host.catalog;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An RFC 6570 URI template of level 1 plus reserved expansion: {@code {name}} matches one segment
 * (no {@code / ? #}), {@code {+name}} matches anything. Matching returns the variables, decoded.
 */
public final class UriTemplate {

    private static final Pattern EXPRESSION = Pattern.compile("\\{(\\+?)([A-Za-z0-9_.]+)}");

    private final String text;
    private final Pattern pattern;
    private final List<String> variables;

    private UriTemplate(String text, Pattern pattern, List<String> variables) {
        this.text = text;
        this.pattern = pattern;
        this.variables = List.copyOf(variables);
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException for an expression this class does not support or a repeated variable
     */
    public static UriTemplate parse(String template) {
        StringBuilder regex = new StringBuilder("^");
        List<String> names = new ArrayList<>();
        Matcher m = EXPRESSION.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            if (names.contains(m.group(2))) {
                throw new IllegalArgumentException("variable '" + m.group(2) + "' appears twice in " + template);
            }
            names.add(m.group(2));
            regex.append(m.group(1).isEmpty() ? "([^/?#]+)" : "(.+)");
            last = m.end();
        }
        String rest = template.substring(last);
        if (rest.contains("{") || rest.contains("}") || template.substring(0, last).replaceAll(EXPRESSION.pattern(), "")
                .contains("{")) {
            throw new IllegalArgumentException("unsupported expression in " + template
                    + ": use {name} for one segment or {+name} for the rest");
        }
        regex.append(Pattern.quote(rest)).append('$');
        return new UriTemplate(template, Pattern.compile(regex.toString()), names);
    }

    /** The variable names, in order. */
    public List<String> variables() {
        return variables;
    }

    /**
     * The variables of a matching URI, or empty when the URI does not match. A URI whose variable part
     * holds malformed percent-encoding ({@code %zz}, a lone or truncated {@code %}) matches nothing: no
     * resource has such a URI.
     */
    public Optional<Map<String, String>> match(String uri) {
        Matcher m = pattern.matcher(uri);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < variables.size(); i++) {
            try {
                values.put(variables.get(i), URLDecoder.decode(m.group(i + 1).replace("+", "%2B"),
                        StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                return Optional.empty();
            }
        }
        return Optional.of(values);
    }

    @Override
    public String toString() {
        return text;
    }
}
