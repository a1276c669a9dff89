package dev.plugboard.router.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /v1/router/decisions}: the recent routing decisions of the HTTP doors, newest first. An
 * admin sees every caller's, with the caller's name; anyone else only their own. Answers whether or not
 * the router is configured (an unconfigured router has decided nothing).
 */
@Component(service = RouterStatusResource.class,
        property = {"osgi.jaxrs.resource=true", "plugboard.http.access=catalog"})
@Path("/v1/router")
public class RouterStatusResource {

    private final RecentDecisions recent;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Serves the bundle's recent decisions. */
    @Activate
    public RouterStatusResource(@Reference RecentDecisions recent) {
        this.recent = recent;
    }

    /** The decisions. */
    @GET
    @Path("decisions")
    @Produces(MediaType.APPLICATION_JSON)
    public Response decisions(@Context SecurityContext security) {
        boolean admin = security != null && security.isUserInRole("admin");
        String caller = security == null || security.getUserPrincipal() == null ? "anonymous"
                : security.getUserPrincipal().getName();
        ObjectNode out = mapper.createObjectNode();
        ArrayNode list = out.putArray("decisions");
        recent.newestFirst(admin ? null : caller).forEach(d -> list.add(mapper.valueToTree(d.shown(admin))));
        return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
