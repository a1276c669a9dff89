package dev.plugboard.plugins.conformance;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.client.SamplingResult;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.osgi.service.component.annotations.Component;

/**
 * Conformance tools that talk to the client while they run: log messages, progress, sampling and
 * elicitation (the stateful {@code tools-call-with-logging}, {@code tools-call-with-progress},
 * {@code tools-call-sampling} and {@code tools-call-elicitation} scenarios).
 */
@Component(service = InteractionTools.class)
@McpProvider
public class InteractionTools {

    /** The pause between two notifications, as in the reference server. */
    static final Duration STEP = Duration.ofMillis(50);

    @Tool(name = "test_tool_with_logging", description = "Tests tool that emits log messages during execution",
            readOnly = true, openWorld = false)
    public String toolWithLogging(RequestContext ctx) {
        ctx.log(LogLevel.INFO, "Tool execution started");
        pause(ctx);
        ctx.log(LogLevel.INFO, "Tool processing data");
        pause(ctx);
        ctx.log(LogLevel.INFO, "Tool execution completed");
        return "Tool with logging executed successfully";
    }

    /**
     * Reports progress 0, 50 and 100 of 100. The reference server answers with the progress token
     * as text, but the API keeps the token to the host, so this one answers with a fixed text.
     */
    @Tool(name = "test_tool_with_progress", description = "Tests tool that reports progress notifications",
            readOnly = true, openWorld = false)
    public String toolWithProgress(RequestContext ctx) {
        for (int step = 0; step <= 100; step += 50) {
            if (step > 0) {
                pause(ctx);
            }
            ctx.progress(step, 100, "Completed step " + step + " of 100");
        }
        return "Progress completed";
    }

    @Tool(name = "test_sampling", description = "Tests server-initiated sampling (LLM completion request)",
            readOnly = true)
    public String sampling(@Param(description = "The prompt to send to the LLM") String prompt,
            RequestContext ctx) {
        SamplingResult result = ctx.sample(SamplingRequest.of(prompt, 100));
        return "LLM response: " + Answers.text(result);
    }

    @Tool(name = "test_elicitation", description = "Tests server-initiated elicitation (user input request)",
            readOnly = true, openWorld = false)
    public String elicitation(@Param(description = "The message to show the user") String message,
            RequestContext ctx) {
        ElicitResult result = ctx.elicit(new ElicitRequest(message, Map.of(
                "type", "object",
                "properties", Map.of(
                        "username", Map.of("type", "string", "description", "User's response"),
                        "email", Map.of("type", "string", "description", "User's email address")),
                "required", List.of("username", "email"))));
        return "User response: " + Answers.describe(result);
    }

    /** Waits one {@link #STEP}, ending the call if the client cancels it meanwhile. */
    private static void pause(RequestContext ctx) {
        try {
            Thread.sleep(STEP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while pausing");
        }
        ctx.throwIfCancelled();
    }
}
