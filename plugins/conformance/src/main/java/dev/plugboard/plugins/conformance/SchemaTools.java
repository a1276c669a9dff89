package dev.plugboard.plugins.conformance;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;

/**
 * Conformance tools whose point is a schema: a hand-written JSON Schema 2020-12 input schema
 * ({@code json-schema-2020-12}), and elicitation forms with defaults (SEP-1034) and enums (SEP-1330).
 */
@Component(service = SchemaTools.class)
@McpProvider
public class SchemaTools {

    /** The input schema the checker expects verbatim: {@code $defs}, composition and conditionals. */
    static final String JSON_SCHEMA_2020_12 = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "$defs": {
                "address": {
                  "$anchor": "addressDef",
                  "type": "object",
                  "properties": {"street": {"type": "string"}, "city": {"type": "string"}}
                }
              },
              "properties": {
                "name": {"type": "string"},
                "address": {"$ref": "#/$defs/address"},
                "contactMethod": {"type": "string", "enum": ["phone", "email"]},
                "phone": {"type": "string"},
                "email": {"type": "string"}
              },
              "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
              "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
              "then": {"required": ["phone"]},
              "else": {"required": ["email"]},
              "additionalProperties": false
            }
            """;

    /** The SEP-1034 form: one field of each primitive type, each with a default. */
    static final Map<String, Object> DEFAULTS_FORM = Map.of(
            "type", "object",
            "properties", Map.of(
                    "name", Map.of("type", "string", "description", "User name", "default", "John Doe"),
                    "age", Map.of("type", "integer", "description", "User age", "default", 30),
                    "score", Map.of("type", "number", "description", "User score", "default", 95.5),
                    "status", Map.of("type", "string", "description", "User status",
                            "enum", List.of("active", "inactive", "pending"), "default", "active"),
                    "verified", Map.of("type", "boolean", "description", "Verification status", "default", true)),
            "required", List.of());

    /** The SEP-1330 form: single and multiple choice, with and without titles, and legacy enumNames. */
    static final Map<String, Object> ENUMS_FORM = Map.of(
            "type", "object",
            "properties", Map.of(
                    "untitledSingle", Map.of("type", "string", "description", "Select one option",
                            "enum", List.of("option1", "option2", "option3")),
                    "titledSingle", Map.of("type", "string", "description", "Select one option with titles",
                            "oneOf", List.of(
                                    choice("value1", "First Option"),
                                    choice("value2", "Second Option"),
                                    choice("value3", "Third Option"))),
                    "legacyEnum", Map.of("type", "string", "description", "Select one option (legacy)",
                            "enum", List.of("opt1", "opt2", "opt3"),
                            "enumNames", List.of("Option One", "Option Two", "Option Three")),
                    "untitledMulti", Map.of("type", "array", "description", "Select multiple options",
                            "minItems", 1, "maxItems", 3,
                            "items", Map.of("type", "string", "enum", List.of("option1", "option2", "option3"))),
                    "titledMulti", Map.of("type", "array", "description", "Select multiple options with titles",
                            "minItems", 1, "maxItems", 3,
                            "items", Map.of("anyOf", List.of(
                                    choice("value1", "First Choice"),
                                    choice("value2", "Second Choice"),
                                    choice("value3", "Third Choice"))))),
            "required", List.of());

    @Tool(name = "json_schema_2020_12_tool",
            description = "Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)",
            inputSchema = JSON_SCHEMA_2020_12, readOnly = true, idempotent = true, openWorld = false)
    public String jsonSchema202012(Optional<String> name, Optional<Map<String, Object>> address,
            Optional<String> contactMethod, Optional<String> phone, Optional<String> email) {
        Map<String, Object> given = new LinkedHashMap<>();
        name.ifPresent(v -> given.put("name", v));
        address.ifPresent(v -> given.put("address", v));
        contactMethod.ifPresent(v -> given.put("contactMethod", v));
        phone.ifPresent(v -> given.put("phone", v));
        email.ifPresent(v -> given.put("email", v));
        return "JSON Schema 2020-12 tool called with: " + JsonText.write(given);
    }

    @Tool(name = "test_custom_headers",
            description = "Tool whose routing arguments HTTP clients mirror into Mcp-Param headers (SEP-2243)",
            readOnly = true, openWorld = false)
    public String customHeaders(@Param(description = "Region to run in", header = "Region") String region,
            @Param(description = "Queue priority", header = "Priority") Optional<Integer> priority,
            @Param(description = "Log more", header = "Verbose") Optional<Boolean> verbose,
            @Param(description = "The query") String query) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("region", region);
        priority.ifPresent(v -> given.put("priority", v));
        verbose.ifPresent(v -> given.put("verbose", v));
        given.put("query", query);
        return "Custom headers tool called with: " + JsonText.write(given);
    }

    @Tool(name = "test_elicitation_sep1034_defaults",
            description = "Tests elicitation with default values for all primitive types (SEP-1034)",
            readOnly = true, openWorld = false)
    public String elicitationDefaults(RequestContext ctx) {
        var result = ctx.elicit(new ElicitRequest("Please review and update the form fields with defaults",
                DEFAULTS_FORM));
        return "Elicitation completed: " + Answers.describe(result);
    }

    @Tool(name = "test_elicitation_sep1330_enums",
            description = "Tests elicitation with enum schema improvements (SEP-1330)",
            readOnly = true, openWorld = false)
    public String elicitationEnums(RequestContext ctx) {
        var result = ctx.elicit(new ElicitRequest("Please select options from the enum fields", ENUMS_FORM));
        return "Elicitation completed: " + Answers.describe(result);
    }

    private static Map<String, Object> choice(String value, String title) {
        return Map.of("const", value, "title", title);
    }
}
