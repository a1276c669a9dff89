package dev.plugboard.plugins.conformance;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.Tool;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Conformance tools that probe the stateless revision's rules ({@code server-stateless}): a
 * capability the client must declare, no server-to-client requests and no unrequested log messages
 * on a response stream, and list-changed notifications on subscription streams.
 */
@Component(service = DiagnosticTools.class)
@McpProvider
public class DiagnosticTools {

    private final CatalogEvents events;

    /**
     * @param events where the trigger tools announce catalogue changes
     */
    @Activate
    public DiagnosticTools(@Reference CatalogEvents events) {
        this.events = events;
    }

    /**
     * Needs sampling: without the capability the tool refuses before doing anything, and the host
     * answers with a missing-capability error.
     */
    @Tool(name = "test_missing_capability",
            description = "Requires the sampling capability; fails with a missing-capability error without it",
            readOnly = true, openWorld = false)
    public String missingCapability(RequestContext ctx) {
        if (!ctx.supports(ClientCapability.SAMPLING)) {
            throw new MissingCapabilityException(ClientCapability.SAMPLING);
        }
        return "Success";
    }

    @Tool(name = "test_streaming_elicitation",
            description = "Streams a progress notification, never a server-to-client request, then its result",
            readOnly = true, idempotent = true, openWorld = false)
    public String streamingElicitation(RequestContext ctx) {
        ctx.progress(50, 100, "Streaming");
        return "Streaming complete";
    }

    @Tool(name = "test_logging_tool",
            description = "Logs one message, which the client receives only if it asked for a log level",
            readOnly = true, idempotent = true, openWorld = false)
    public String loggingTool(RequestContext ctx) {
        ctx.log(LogLevel.INFO, "Logging tool evaluated");
        return "Logging evaluated";
    }

    @Tool(name = "test_trigger_tool_change",
            description = "Announces that the tool list changed, to clients subscribed to tool list changes",
            destructive = false, idempotent = true, openWorld = false)
    public String triggerToolChange() {
        events.toolsChanged();
        return "Mutation triggered";
    }

    @Tool(name = "test_trigger_prompt_change",
            description = "Announces that the prompt list changed, to clients subscribed to prompt list changes",
            destructive = false, idempotent = true, openWorld = false)
    public String triggerPromptChange() {
        events.promptsChanged();
        return "Mutation triggered";
    }
}
