package dev.plugboard.host.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.glassfish.grizzly.http.server.Request;

/** {@code /api/v1/resources} and {@code /api/v1/templates}: list and read resources. */
@Path("/api/v1")
public final class ResourcesResource {

    private final RestContext rest;

    /** Created by Jersey for each request. */
    @Inject
    ResourcesResource(RestContext rest) {
        this.rest = rest;
    }

    /** Lists resources. */
    @GET
    @Path("resources")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "resources", summary = "List resources", response = "ResourceList",
            description = "Resources at fixed URIs, a page at a time (follow `nextCursor`).")
    public ObjectNode resources(@QueryParam("cursor") String cursor) {
        return rest.operations().resources(blankToNull(cursor));
    }

    /** Reads a resource. */
    @GET
    @Path("resources/read")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "resources", summary = "Read a resource", response = "ResourceContents", problems = {404, 503, 504},
            description = "The contents of the resource at `uri`: a fixed resource, or one a template matches.")
    public ObjectNode read(@QueryParam("uri") String uri, @Context Request request) throws InterruptedException {
        if (uri == null || uri.isEmpty()) {
            throw ProblemException.invalid("uri is required");
        }
        return Await.result(rest, request, rest.operations().readResource(uri));
    }

    /** Lists resource templates. */
    @GET
    @Path("templates")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "resources", summary = "List resource templates", response = "TemplateList",
            description = "URI templates (RFC 6570) of resources, a page at a time (follow `nextCursor`).")
    public ObjectNode templates(@QueryParam("cursor") String cursor) {
        return rest.operations().templates(blankToNull(cursor));
    }

    static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
