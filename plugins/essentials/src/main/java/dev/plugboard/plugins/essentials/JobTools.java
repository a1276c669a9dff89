package dev.plugboard.plugins.essentials;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.TaskSupport;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolException;
import org.osgi.service.component.annotations.Component;

/**
 * A slow tool to try tasks with: it runs as a task for any client that can take one (an MCP client
 * of the tasks extension or of 2025-11-25 tasks, {@code POST /api/v1/tasks}, GraphQL
 * {@code startTask}), reporting progress every second and stopping when cancelled.
 */
@Component(service = JobTools.class)
@McpProvider
public class JobTools {

    /** The longest countdown, in seconds. */
    static final int MAX_SECONDS = 600;

    @Tool(title = "Countdown", description = "Counts down the given number of seconds (1 to 600), reporting "
            + "progress every second, then answers 'Liftoff'. Slow on purpose: runs as a task where the client "
            + "can take one.", readOnly = true, openWorld = false, task = TaskSupport.OPTIONAL, timeoutSeconds = 660)
    public String countdown(@Param(description = "How many seconds to count down, 1 to 600") int seconds,
            RequestContext ctx) throws InterruptedException {
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new ToolException("seconds must be between 1 and " + MAX_SECONDS + ", not " + seconds);
        }
        for (int left = seconds; left > 0; left--) {
            ctx.throwIfCancelled();
            ctx.progress(seconds - left, seconds, left + " s to go");
            Thread.sleep(1000);
        }
        ctx.progress(seconds, seconds, "done");
        return "Liftoff after " + seconds + " s";
    }
}
