package dev.plugboard.host.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.door.OperationException;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.door.Progress;
import dev.plugboard.host.door.RunningCall;
import dev.plugboard.host.engine.Pages;
import dev.plugboard.host.http.HangUps;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.InputStream;
import java.util.concurrent.CompletionException;
import org.glassfish.grizzly.http.server.Request;

/** {@code /api/v1/tools}: list, describe and call tools. */
@Path("/api/v1/tools")
public final class ToolsResource {

    private final RestContext rest;

    /** Created by Jersey for each request. */
    @Inject
    ToolsResource(RestContext rest) {
        this.rest = rest;
    }

    /** Lists tools. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "tools", summary = "List tools", response = "ToolList", description = "Tools in name order, a page"
            + " at a time (follow `nextCursor`). `bundle` and `readOnly` filter; `q` searches (ranked by the search"
            + " plugin when it runs, one page of at most `limit`; else a case-insensitive match on name, title and"
            + " description).")
    public ObjectNode list(@QueryParam("cursor") String cursor, @QueryParam("bundle") String bundle,
            @QueryParam("readOnly") String readOnly, @QueryParam("q") String q, @QueryParam("limit") String limit) {
        Pages.Page<Operations.ToolEntry> page = rest.operations().tools(new Operations.ToolFilter(
                bundle == null || bundle.isEmpty() ? null : bundle, RestContext.bool("readOnly", readOnly), q,
                RestContext.integer("limit", limit, 10, 1, 100)), cursor == null || cursor.isEmpty() ? null : cursor);
        ObjectNode out = rest.mapper().createObjectNode();
        var tools = out.putArray("tools");
        page.items().forEach(t -> tools.add(json(rest.mapper(), t)));
        if (page.nextCursor() != null) {
            out.put("nextCursor", page.nextCursor());
        }
        return out;
    }

    /** One tool's definition. */
    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "tools", summary = "Describe a tool", response = "Tool", problems = 404,
            description = "The tool's full definition, with its input and output schema.")
    public ObjectNode get(@PathParam("name") String name) {
        return json(rest.mapper(), rest.operations().tool(name));
    }

    /** Calls a tool and answers its result. */
    @POST
    @Path("{name}/call")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON + ";qs=1")
    @ApiDoc(tag = "tools", summary = "Call a tool", request = "Arguments", response = "ToolResult",
            problems = {404, 413, 415, 422, 502, 503, 504}, description = "The body is the arguments object."
            + " The answer is the tool's result; a tool that reports an error answers 200 with `isError: true`."
            + " With `Accept: text/event-stream` the answer is a stream of `progress` events and one `result`"
            + " (or `problem`) event. Closing the connection cancels the call.")
    public ObjectNode call(@PathParam("name") String name, @Context Request request, InputStream body)
            throws InterruptedException {
        return Await.result(rest, request, rest.operations().callTool(name, rest.body(request, body), Progress.NONE));
    }

    /** Calls a tool, streaming its progress. */
    @POST
    @Path("{name}/call")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS + ";qs=0.5")
    public void callStreaming(@PathParam("name") String name, @Context Request request, InputStream body,
            @Context SseEventSink sink, @Context Sse sse) {
        JsonNode arguments = rest.body(request, body);
        ObjectMapper mapper = rest.mapper();
        RunningCall call = rest.operations().callTool(name, arguments, (progress, total, message) -> {
            ObjectNode p = mapper.createObjectNode().put("progress", progress);
            if (total != null) {
                p.put("total", total);
            }
            if (message != null) {
                p.put("message", message);
            }
            sink.send(event(sse, "progress", p));
        });
        HangUps.Watch cancelIfGone = rest.hangUps().watch(request.getContext().getConnection(), call.cancel());
        call.result().whenComplete((result, failure) -> {
            cancelIfGone.release();
            if (failure == null) {
                sink.send(event(sse, "result", result));
            } else {
                Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause()
                        : failure;
                Problem problem = cause instanceof OperationException o ? Problem.of(o)
                        : new Problem("internal", 500, "Internal error", "Internal error");
                sink.send(event(sse, "problem", problem.json()));
            }
            sink.close();
        });
    }

    private static OutboundSseEvent event(Sse sse, String name, JsonNode data) {
        return sse.newEventBuilder().name(name).data(data.toString())
                .build();
    }

    static ObjectNode json(ObjectMapper mapper, Operations.ToolEntry entry) {
        ObjectNode node = mapper.valueToTree(entry.tool());
        node.put("bundle", entry.bundle());
        if (entry.bundleVersion() != null) {
            node.put("bundleVersion", entry.bundleVersion());
        }
        return node;
    }
}
