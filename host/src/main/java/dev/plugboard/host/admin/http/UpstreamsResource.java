package dev.plugboard.host.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.rest.ApiDoc;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/admin/upstreams}: the proxy's upstream servers as the proxy bundle reports them
 * (state, breaker, latency, last error, counts) and the virtual servers the host serves.
 */
@Path("/api/v1/admin/upstreams")
@Produces(MediaType.APPLICATION_JSON)
public final class UpstreamsResource {

    private final AdminViews.Sources sources;

    /** Created by Jersey for each request. */
    @Inject
    UpstreamsResource(AdminViews.Sources sources) {
        this.sources = sources;
    }

    /** The upstreams and the virtual servers. */
    @GET
    @ApiDoc(tag = "admin", summary = "List upstream and virtual servers", response = "Upstreams", problems = 401,
            description = "`proxy` is `running` when the proxy bundle reports, else `absent` (and `upstreams` is"
                    + " empty). Each upstream: `state` (`connected`, `connecting`, `failed`, `invalid`, ...),"
                    + " `transport`, `prefix`, `tools`, `breaker` (`CLOSED`, `OPEN`, `HALF_OPEN`), `latencyMillis`"
                    + " of the last call or ping, `lastError`, `restarts`. Each virtual server: `state` (`serving`"
                    + " or `invalid`), `mode`, `lastError`.")
    public ObjectNode list() {
        ObjectNode out = sources.json().createObjectNode();
        Object proxy = sources.plugins().get().get("proxy");
        JsonNode report = proxy == null ? sources.json().createObjectNode() : sources.json().valueToTree(proxy);
        out.put("proxy", proxy == null ? "absent" : "running");
        if (report.path("file").isTextual()) {
            out.put("file", report.path("file").asText());
        }
        if (report.path("fileError").isTextual()) {
            out.put("fileError", report.path("fileError").asText());
        }
        out.set("upstreams", report.path("upstreams").isObject() ? report.path("upstreams")
                : sources.json().createObjectNode());
        out.set("servers", sources.json().valueToTree(sources.servers().get()));
        return out;
    }
}
