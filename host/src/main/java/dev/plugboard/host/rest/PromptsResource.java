package dev.plugboard.host.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.io.InputStream;
import org.glassfish.grizzly.http.server.Request;

/** {@code /api/v1/prompts} and {@code /api/v1/completion}: list and render prompts, complete arguments. */
@Path("/api/v1")
public final class PromptsResource {

    private final RestContext rest;

    /** Created by Jersey for each request. */
    @Inject
    PromptsResource(RestContext rest) {
        this.rest = rest;
    }

    /** Lists prompts. */
    @GET
    @Path("prompts")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "prompts", summary = "List prompts", response = "PromptList",
            description = "Prompts with their arguments, a page at a time (follow `nextCursor`).")
    public ObjectNode prompts(@QueryParam("cursor") String cursor) {
        return rest.operations().prompts(ResourcesResource.blankToNull(cursor));
    }

    /** Renders a prompt. */
    @POST
    @Path("prompts/{name}/render")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "prompts", summary = "Render a prompt", request = "PromptArguments", response = "RenderedPrompt",
            problems = {404, 413, 415, 503, 504}, description = "The body is the arguments object (string values);"
            + " the answer is the prompt's messages.")
    public ObjectNode render(@PathParam("name") String name, @Context Request request, InputStream body)
            throws InterruptedException {
        JsonNode arguments = rest.body(request, body);
        if (arguments != null && !arguments.isObject()) {
            throw ProblemException.invalid("the body must be an object of string arguments");
        }
        return Await.result(rest, request, rest.operations().renderPrompt(name, arguments));
    }

    /** Completes an argument. */
    @POST
    @Path("completion")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "prompts", summary = "Complete an argument", request = "CompletionRequest",
            response = "CompletionResult", problems = {404, 413, 415}, description = "Suggested values for an"
            + " argument of a prompt (`ref/prompt`) or a resource template (`ref/resource`), as MCP's"
            + " `completion/complete`.")
    public ObjectNode complete(@Context Request request, InputStream body) throws InterruptedException {
        JsonNode params = rest.body(request, body);
        if (!(params instanceof ObjectNode object)) {
            throw ProblemException.invalid("the body must be an object with ref and argument");
        }
        return Await.result(rest, request, rest.operations().complete(object));
    }
}
