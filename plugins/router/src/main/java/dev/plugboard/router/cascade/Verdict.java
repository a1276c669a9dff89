package dev.plugboard.router.cascade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A reviewer model's structured verdict on an answer, read from JSON and checked against
 * {@link #SCHEMA}; free text is never searched for keywords.
 *
 * @param accept whether the answer may be returned
 * @param issues what is wrong with it (empty when accepted)
 * @param openQuestions what the next tier should settle
 */
public record Verdict(boolean accept, List<String> issues, List<String> openQuestions) {

    /** Copies the lists. */
    public Verdict {
        issues = List.copyOf(issues);
        openQuestions = List.copyOf(openQuestions);
    }

    /** The JSON schema a verdict must satisfy (sent as {@code response_format}). */
    public static final String SCHEMA = """
            {"type":"object","additionalProperties":false,"required":["verdict","issues","openQuestions"],
             "properties":{"verdict":{"type":"string","enum":["accept","reject"]},
              "issues":{"type":"array","items":{"type":"string"},"maxItems":10},
              "openQuestions":{"type":"array","items":{"type":"string"},"maxItems":10}}}""";

    /** The same shape as a GBNF grammar, for llama.cpp's {@code grammar} field. */
    public static final String GRAMMAR = """
            root ::= "{" ws "\\"verdict\\"" ws ":" ws verdict ws "," ws "\\"issues\\"" ws ":" ws list ws "," ws "\\"openQuestions\\"" ws ":" ws list ws "}"
            verdict ::= "\\"accept\\"" | "\\"reject\\""
            list ::= "[" ws ( string ( ws "," ws string )* )? ws "]"
            string ::= "\\"" ( [^"\\\\\\x00-\\x1f] | "\\\\" ["\\\\/bfnrt] )* "\\""
            ws ::= [ \\t\\n]*
            """;

    private static final Set<String> FIELDS = Set.of("verdict", "issues", "openQuestions");

    /**
     * Reads a verdict.
     *
     * @throws IllegalArgumentException saying how the text fails the schema
     */
    public static Verdict parse(String text, ObjectMapper mapper) {
        JsonNode node;
        try {
            node = mapper.readTree(text.strip());
        } catch (IOException e) {
            throw new IllegalArgumentException("the verdict is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the verdict is not a JSON object");
        }
        for (var it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("the verdict has an unexpected field \"" + f + "\"");
            }
        }
        String verdict = node.path("verdict").asText("");
        if (!node.path("verdict").isTextual() || !(verdict.equals("accept") || verdict.equals("reject"))) {
            throw new IllegalArgumentException("the verdict's \"verdict\" must be \"accept\" or \"reject\"");
        }
        return new Verdict(verdict.equals("accept"), strings(node, "issues"), strings(node, "openQuestions"));
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode list = node.get(field);
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("the verdict's \"" + field + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : list) {
            if (!s.isTextual()) {
                throw new IllegalArgumentException("the verdict's \"" + field + "\" must be an array of strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    /** The verdict as JSON. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode out = mapper.createObjectNode();
        out.put("verdict", accept ? "accept" : "reject");
        issues.forEach(out.putArray("issues")::add);
        openQuestions.forEach(out.putArray("openQuestions")::add);
        return out;
    }
}
