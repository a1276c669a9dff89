package dev.plugboard.plugins.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.testkit.RecordingContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaTools tools = new SchemaTools();
    private final RecordingContext ctx = Clients.everything();

    @Test
    void jsonSchemaToolDeclaresTheCanonicalSchemaVerbatim() throws Exception {
        Tool tool = SchemaTools.class.getMethod("jsonSchema202012", Optional.class, Optional.class, Optional.class,
                Optional.class, Optional.class).getAnnotation(Tool.class);

        assertThat(tool.name()).isEqualTo("json_schema_2020_12_tool");
        assertThat(tool.description())
                .isEqualTo("Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)");
        assertThat(JSON.readTree(tool.inputSchema())).isEqualTo(JSON.readTree("""
                {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
                 "$defs":{"address":{"$anchor":"addressDef","type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},
                 "properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"},"contactMethod":{"type":"string","enum":["phone","email"]},"phone":{"type":"string"},"email":{"type":"string"}},
                 "allOf":[{"anyOf":[{"required":["phone"]},{"required":["email"]}]}],
                 "if":{"properties":{"contactMethod":{"const":"phone"}},"required":["contactMethod"]},"then":{"required":["phone"]},"else":{"required":["email"]},
                 "additionalProperties":false}
                """));
    }

    @Test
    void jsonSchemaToolEchoesTheArgumentsItWasGiven() throws Exception {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("street", "1 Main St");
        address.put("city", "Paris");

        String text = tools.jsonSchema202012(Optional.of("Ann"), Optional.of(address), Optional.of("email"),
                Optional.empty(), Optional.of("ann@example.com"));

        String prefix = "JSON Schema 2020-12 tool called with: ";
        assertThat(text).startsWith(prefix);
        assertThat(JSON.readTree(text.substring(prefix.length()))).isEqualTo(JSON.readTree("""
                {"name":"Ann","address":{"street":"1 Main St","city":"Paris"},"contactMethod":"email",
                 "email":"ann@example.com"}
                """));
    }

    @Test
    void customHeadersToolMirrorsItsRoutingArgumentsAndEchoesWhatItGot() throws Exception {
        var method = SchemaTools.class.getMethod("customHeaders", String.class, Optional.class, Optional.class,
                String.class);
        assertThat(method.getAnnotation(Tool.class).name()).isEqualTo("test_custom_headers");
        assertThat(Arrays.stream(method.getParameters()).map(p -> p.getAnnotation(Param.class).header()))
                .containsExactly("Region", "Priority", "Verbose", "");

        String text = tools.customHeaders("Zürich", Optional.of(2), Optional.empty(), "SELECT 1");
        String prefix = "Custom headers tool called with: ";
        assertThat(text).startsWith(prefix);
        assertThat(JSON.readTree(text.substring(prefix.length())))
                .isEqualTo(JSON.readTree("{\"region\":\"Zürich\",\"priority\":2,\"query\":\"SELECT 1\"}"));
    }

    @Test
    void jsonSchemaToolWithoutArgumentsEchoesAnEmptyObject() {
        assertThat(tools.jsonSchema202012(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty())).isEqualTo("JSON Schema 2020-12 tool called with: {}");
    }

    @Test
    void sep1034FormHasADefaultOfEachPrimitiveType() throws Exception {
        ctx.answer("elicitation", Clients.accepted(Map.of("name", "Jane Smith")));

        String text = tools.elicitationDefaults(ctx);

        assertThat(text).isEqualTo("Elicitation completed: action=accept, content={\"name\":\"Jane Smith\"}");
        ElicitRequest request = (ElicitRequest) ctx.onlyQuestion("elicitation");
        assertThat(request.message()).isEqualTo("Please review and update the form fields with defaults");
        JsonNode schema = JSON.valueToTree(request.requestedSchema());
        assertThat(schema).isEqualTo(JSON.readTree("""
                {"type":"object","properties":{
                 "name":{"type":"string","description":"User name","default":"John Doe"},
                 "age":{"type":"integer","description":"User age","default":30},
                 "score":{"type":"number","description":"User score","default":95.5},
                 "status":{"type":"string","description":"User status","enum":["active","inactive","pending"],"default":"active"},
                 "verified":{"type":"boolean","description":"Verification status","default":true}},"required":[]}
                """));
    }

    @Test
    void sep1330FormHasEveryEnumVariant() throws Exception {
        ctx.answer("elicitation", Clients.accepted(Map.of("untitledMulti", List.of("option1", "option2"))));

        String text = tools.elicitationEnums(ctx);

        assertThat(text).isEqualTo(
                "Elicitation completed: action=accept, content={\"untitledMulti\":[\"option1\",\"option2\"]}");
        ElicitRequest request = (ElicitRequest) ctx.onlyQuestion("elicitation");
        assertThat(request.message()).isEqualTo("Please select options from the enum fields");
        JsonNode schema = JSON.valueToTree(request.requestedSchema());
        assertThat(schema).isEqualTo(JSON.readTree("""
                {"type":"object","properties":{
                 "untitledSingle":{"type":"string","description":"Select one option","enum":["option1","option2","option3"]},
                 "titledSingle":{"type":"string","description":"Select one option with titles","oneOf":[{"const":"value1","title":"First Option"},{"const":"value2","title":"Second Option"},{"const":"value3","title":"Third Option"}]},
                 "legacyEnum":{"type":"string","description":"Select one option (legacy)","enum":["opt1","opt2","opt3"],"enumNames":["Option One","Option Two","Option Three"]},
                 "untitledMulti":{"type":"array","description":"Select multiple options","minItems":1,"maxItems":3,"items":{"type":"string","enum":["option1","option2","option3"]}},
                 "titledMulti":{"type":"array","description":"Select multiple options with titles","minItems":1,"maxItems":3,"items":{"anyOf":[{"const":"value1","title":"First Choice"},{"const":"value2","title":"Second Choice"},{"const":"value3","title":"Third Choice"}]}}},"required":[]}
                """));
    }

    @Test
    void jsonTextRoundTripsThroughAJsonParser() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
        value.put("numbers", List.of(1, -2.5, 12_345_678_901L));
        value.put("flags", List.of(true, false));
        value.put("nothing", null);
        value.put("nested", Map.of("empty", List.of()));

        JsonNode parsed = JSON.readTree(JsonText.write(value));

        assertThat(parsed).isEqualTo(JSON.valueToTree(value));
    }
}
