package dev.plugboard.plugins.conformance;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.completion.Completion;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.content.Message;
import dev.plugboard.api.content.ResourceContents;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.prompt.Prompt;
import dev.plugboard.api.tool.Param;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Conformance prompts: plain, with arguments (and completion of one), with an embedded resource,
 * with an image, and one that needs the user's input ({@code prompts-*}, {@code completion-complete}
 * and {@code input-required-result-non-tool-request} scenarios).
 */
@Component(service = FixturePrompts.class)
@McpProvider
public class FixturePrompts {

    /** The values that completion suggests for {@code arg1}. */
    static final List<String> ARG1_VALUES = List.of("paris", "park", "party", "test", "testing");

    /** The key under which the input-required prompt asks for its context. */
    static final String CONTEXT_KEY = "user_context";

    @Prompt(name = "test_simple_prompt", title = "Simple Test Prompt", description = "A simple prompt without arguments")
    public String simplePrompt() {
        return "This is a simple prompt for testing.";
    }

    @Prompt(name = "test_prompt_with_arguments", title = "Prompt With Arguments",
            description = "A prompt with required arguments")
    public String promptWithArguments(@Param(description = "First test argument") String arg1,
            @Param(description = "Second test argument") String arg2) {
        return "Prompt with arguments: arg1='" + arg1 + "', arg2='" + arg2 + "'";
    }

    @Completion(prompt = "test_prompt_with_arguments", argument = "arg1")
    public List<String> completeArg1(String prefix) {
        return ARG1_VALUES.stream().filter(v -> v.startsWith(prefix)).toList();
    }

    @Prompt(name = "test_prompt_with_embedded_resource", title = "Prompt With Embedded Resource",
            description = "A prompt that includes an embedded resource")
    public List<Message> promptWithEmbeddedResource(
            @Param(description = "URI of the resource to embed") String resourceUri) {
        return List.of(
                Message.user(Content.embed(ResourceContents.text(resourceUri, "text/plain",
                        "Embedded resource content for testing."))),
                Message.user("Please process the embedded resource above."));
    }

    @Prompt(name = "test_prompt_with_image", title = "Prompt With Image", description = "A prompt that includes an image")
    public List<Message> promptWithImage() {
        return List.of(
                Message.user(Content.image(TestMedia.png(), TestMedia.PNG)),
                Message.user("Please analyze the image above."));
    }

    @Prompt(name = "test_input_required_result_prompt", description = "MRTR: prompt that requires elicitation input")
    public String inputRequiredPrompt(RequestContext ctx) {
        var answers = ctx.ask(Map.of(CONTEXT_KEY,
                InputRequiredTools.form("What context should the prompt use?", "context", "string")));
        return "Prompt with context: " + Answers.field(answers.elicitation(CONTEXT_KEY), "context");
    }
}
