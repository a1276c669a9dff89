package ${package};

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.prompt.Prompt;
import dev.plugboard.api.resource.Resource;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolException;
import org.osgi.service.component.annotations.Component;

/**
 * The plugin's MCP features. Every public method annotated with {@code @Tool}, {@code @Resource} or
 * {@code @Prompt} of an {@code @McpProvider} component becomes one; its name is the method name in
 * snake_case unless the annotation names it ({@code welcomeMessage} becomes {@code welcome_message}).
 */
@Component(service = Greeter.class)
@McpProvider
public class Greeter {

    /** How to greet; an enum parameter becomes a string with the constants as its {@code enum}. */
    public enum Tone { FRIENDLY, FORMAL }

    /** A record result becomes {@code structuredContent}, with an {@code outputSchema} derived from it. */
    public record Greeting(String text, int length) { }

    /** The tool {@code greet}: {@code name} is required, {@code tone} optional (it has a default). */
    @Tool(description = "Greets someone by name", readOnly = true)
    public Greeting greet(@Param(description = "Who to greet") String name,
                          @Param(description = "How to say it", defaultValue = "FRIENDLY") Tone tone,
                          RequestContext context) {
        if (name.isBlank()) {
            // ends the call with isError: true and this message; the client sees no stack trace
            throw new ToolException("name must not be blank");
        }
        context.log(LogLevel.INFO, "greeting " + name + " for " + context.caller().clientName().orElse("a client"));
        String text = tone == Tone.FORMAL ? "Good day, " + name + "." : "Hi " + name + "!";
        return new Greeting(text, text.length());
    }

    /** The resource {@code about} at {@code ${artifactId}://about}. */
    @Resource(uri = "${artifactId}://about", title = "About ${artifactId}", mimeType = "text/markdown")
    public String about() {
        return "# ${artifactId}\n\nGreets people in two tones.\n";
    }

    /** The prompt {@code welcome_message}. */
    @Prompt(description = "Asks the model to write a welcome message for a new team member")
    public String welcomeMessage(@Param(description = "The new team member's name") String name) {
        return "Write a short, warm welcome message for " + name + ", who joins the team today.";
    }
}
