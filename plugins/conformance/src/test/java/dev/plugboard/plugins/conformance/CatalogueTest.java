package dev.plugboard.plugins.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.prompt.Prompt;
import dev.plugboard.api.tool.Tool;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The catalogue as a whole: every name the conformance suite calls, once, described. */
class CatalogueTest {

    private static final List<Class<?>> COMPONENTS = List.of(ContentTools.class, InteractionTools.class,
            SchemaTools.class, InputRequiredTools.class, DiagnosticTools.class, FixtureResources.class,
            FixturePrompts.class, TaskTools.class);

    private static Stream<Method> methods() {
        return COMPONENTS.stream().flatMap(c -> Arrays.stream(c.getMethods()));
    }

    @Test
    void offersEveryFixtureToolOnceWithAValidNameAndADescription() {
        List<Tool> tools = methods().map(m -> m.getAnnotation(Tool.class)).filter(t -> t != null).toList();

        assertThat(tools).extracting(Tool::name).containsExactlyInAnyOrder(
                "test_simple_text", "test_image_content", "test_audio_content", "test_embedded_resource",
                "test_multiple_content_types", "test_tool_with_logging", "test_tool_with_progress",
                "test_error_handling", "test_sampling", "test_elicitation", "test_elicitation_sep1034_defaults",
                "test_elicitation_sep1330_enums", "json_schema_2020_12_tool", "test_missing_capability",
                "test_streaming_elicitation", "test_logging_tool", "test_trigger_tool_change",
                "test_trigger_prompt_change", "test_input_required_result_elicitation",
                "test_input_required_result_sampling", "test_input_required_result_list_roots",
                "test_input_required_result_request_state", "test_input_required_result_multiple_inputs",
                "test_input_required_result_multi_round", "test_input_required_result_tampered_state",
                "test_input_required_result_capabilities", "test_custom_headers", "greet", "slow_compute",
                "failing_job", "protocol_error_job", "confirm_delete", "multi_input", "test_tool_with_task");
        assertThat(tools).allSatisfy(t -> {
            assertThat(t.name()).matches("[A-Za-z0-9_.-]{1,128}");
            assertThat(t.description()).isNotBlank();
        });
    }

    @Test
    void offersEveryFixturePromptOnce() {
        assertThat(methods().map(m -> m.getAnnotation(Prompt.class)).filter(p -> p != null).map(Prompt::name))
                .containsExactlyInAnyOrder("test_simple_prompt", "test_prompt_with_arguments",
                        "test_prompt_with_embedded_resource", "test_prompt_with_image",
                        "test_input_required_result_prompt");
    }

    @Test
    void everyComponentIsRegisteredAsAnMcpProvider() throws Exception {
        // bnd writes the Declarative Services descriptors into the classes before the tests run.
        for (Class<?> component : COMPONENTS) {
            String descriptor = "OSGI-INF/" + component.getName() + ".xml";
            try (InputStream in = component.getClassLoader().getResourceAsStream(descriptor)) {
                assertThat(in).as(descriptor).isNotNull();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .contains("<property name=\"" + McpProvider.PROPERTY + "\" type=\"Boolean\" value=\"true\"/>")
                        .contains("<provide interface=\"" + component.getName() + "\"/>");
            }
        }
    }
}
