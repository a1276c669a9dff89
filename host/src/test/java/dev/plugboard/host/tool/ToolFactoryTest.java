package dev.plugboard.host.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.tools.ToolDescriptor;
import dev.plugboard.host.binding.BoundMethod;
import dev.plugboard.host.catalog.Offerings;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.plugin.ComponentIntrospector;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ToolFactoryTest {

    private final ComponentIntrospector introspector = new ComponentIntrospector(JsonRpcCodec.newMapper(), 8);
    private final Offerings found = introspector.apply(new SampleTools(), Provider.host(1));
    private final Map<String, ToolDescriptor> tools = found.tools().stream().map(RegisteredTool::descriptor)
            .collect(Collectors.toMap(ToolDescriptor::name, Function.identity()));

    @Test
    void methodNamesBecomeSnakeCaseUnlessNamed() {
        assertThat(tools).containsKeys("greet_person", "weather.forecast", "sum_x", "media", "work", "nothing");
        assertThat(BoundMethod.snakeCase("parseHTTPResponse")).isEqualTo("parse_http_response");
        assertThat(BoundMethod.snakeCase("convertTime")).isEqualTo("convert_time");
        assertThat(BoundMethod.snakeCase("x")).isEqualTo("x");
    }

    @Test
    void inputSchemaComesFromTheSignatureWithoutTheContext() {
        JsonNode schema = tools.get("greet_person").inputSchema();
        assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactly("name");
        assertThat(schema.at("/properties/times/default").asInt()).isEqualTo(1);
        assertThat(schema.at("/properties/punctuation/type").asText()).isEqualTo("string");
        assertThat(tools.get("work").inputSchema().get("properties").has("context")).isFalse();
        assertThat(tools.get("work").inputSchema().get("properties").has("steps")).isTrue();
    }

    @Test
    void recordReturnsDeclareAnOutputSchema() {
        assertThat(tools.get("weather.forecast").outputSchema().at("/properties/units/enum")).hasSize(2);
        assertThat(tools.get("greet_person").outputSchema()).isNull();
    }

    @Test
    void hintsOmitSpecificationDefaults() {
        var forecast = tools.get("weather.forecast").annotations();
        assertThat(forecast.title()).isEqualTo("Forecast");
        assertThat(forecast.readOnlyHint()).isTrue();
        assertThat(forecast.destructiveHint()).isNull();
        assertThat(forecast.openWorldHint()).isFalse();
        var sum = tools.get("sum_x").annotations();
        assertThat(sum.destructiveHint()).isFalse();
        assertThat(sum.idempotentHint()).isTrue();
        assertThat(tools.get("greet_person").annotations()).isNull();
    }

    @Test
    void brokenMethodsAreSkippedAndReported() {
        assertThat(tools).doesNotContainKeys("hidden", "bad name!", "unsupported");
        assertThat(found.problems()).hasSize(3);
        assertThat(found.problems()).anySatisfy(p -> assertThat(p).contains("hidden").contains("must be public"));
        assertThat(found.problems()).anySatisfy(p -> assertThat(p).contains("badName").contains("1 to 128 characters"));
        assertThat(found.problems()).anySatisfy(p -> assertThat(p).contains("unsupported").contains("java.lang.Thread"));
    }

    @Test
    void handlersKnowWhetherTheyUseTheContext() {
        Map<String, RegisteredTool> specs = found.tools().stream()
                .collect(Collectors.toMap(RegisteredTool::name, Function.identity()));
        assertThat(specs.get("work").handler().usesContext()).isTrue();
        assertThat(specs.get("greet_person").handler().usesContext()).isFalse();
    }

    @Test
    void duplicateNamesInOneComponentKeepTheFirst() {
        var result = introspector.apply(new DuplicateTools(), Provider.host(2));
        assertThat(result.tools()).hasSize(1);
        assertThat(result.problems()).singleElement().asString().contains("already defines a tool named 'same'");
    }
}
