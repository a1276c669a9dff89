package dev.plugboard.plugins.conformance;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.client.InputResponses;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.TaskSupport;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolException;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Conformance tools for the tasks extension (the 2026 {@code tasks-*} scenarios, SEP-2663): the
 * fixtures the suite names, each declaring its task support; the host decides when a call runs as
 * a task.
 */
@Component(service = TaskTools.class)
@McpProvider
public class TaskTools {

    @Tool(name = "greet", description = "Greets someone by name, in the request", readOnly = true, openWorld = false)
    public String greet(String name) {
        return "Hello, " + name + "!";
    }

    @Tool(name = "slow_compute", description = "Computes for the given number of seconds, reporting progress each "
            + "second, then answers with its label", readOnly = true, openWorld = false, task = TaskSupport.OPTIONAL,
            timeoutSeconds = 600)
    public String slowCompute(int seconds, String label, RequestContext ctx) throws InterruptedException {
        for (int i = 0; i < seconds; i++) {
            ctx.throwIfCancelled();
            ctx.progress(i, seconds, "computing " + label);
            Thread.sleep(1000);
        }
        return "Computed " + label + " in " + seconds + " s";
    }

    @Tool(name = "failing_job", description = "Works for a second, then reports a tool error; runs only as a task",
            readOnly = true, openWorld = false, task = TaskSupport.REQUIRED)
    public String failingJob() throws InterruptedException {
        Thread.sleep(1000);
        throw new ToolException("The job failed, as this fixture always does");
    }

    @Tool(name = "protocol_error_job", description = "Fails without an answer (a server-side failure, not a tool "
            + "error)", readOnly = true, openWorld = false, task = TaskSupport.OPTIONAL)
    public String protocolErrorJob() {
        throw new IllegalStateException("protocol_error_job fails by design");
    }

    @Tool(name = "confirm_delete", description = "Asks the user to confirm deleting a file, then says what it did",
            openWorld = false, task = TaskSupport.OPTIONAL)
    public String confirmDelete(String filename, RequestContext ctx) {
        var answer = ctx.elicit(InputRequiredTools.form("Delete " + filename + "?", "confirm", "boolean"));
        return (answer.action() == dev.plugboard.api.client.ElicitResult.Action.ACCEPT ? "Deleted " : "Kept ") + filename;
    }

    @Tool(name = "multi_input", description = "Asks two questions at once, then echoes both answers",
            readOnly = true, openWorld = false, task = TaskSupport.OPTIONAL)
    public String multiInput(RequestContext ctx) {
        InputResponses answers = ctx.ask(Map.of(
                "first", InputRequiredTools.form("First: your name?", "name", "string"),
                "second", InputRequiredTools.form("Second: confirm?", "confirm", "boolean")));
        return "first: " + Answers.describe(answers.elicitation("first")) + "; second: "
                + Answers.describe(answers.elicitation("second"));
    }

    @Tool(name = "test_tool_with_task", description = "Asks for the user's name in the request, then continues as "
            + "a task that greets them", readOnly = true, openWorld = false, task = TaskSupport.REQUIRED,
            deferTask = true)
    public String toolWithTask(RequestContext ctx) throws InterruptedException {
        InputResponses answers = ctx.ask(Map.of(InputRequiredTools.NAME_KEY, InputRequiredTools.NAME_QUESTION));
        String name = Answers.field(answers.elicitation(InputRequiredTools.NAME_KEY), "name");
        ctx.startTask();
        Thread.sleep(200);
        return "Hello, " + name + "! (from a task)";
    }
}
