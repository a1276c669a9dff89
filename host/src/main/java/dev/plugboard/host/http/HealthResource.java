package dev.plugboard.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.deploy.Readiness;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Liveness and readiness probes (the front door routes only these two paths here, after its checks): {@code /health/live} answers while the process serves HTTP;
 * {@code /health/ready} answers 200 once every bundle found at start-up was started or reported as
 * failed, 503 before, with the state of every deployed bundle.
 */
@Path("/health")
public final class HealthResource {

    /**
     * What the probes report on.
     *
     * @param readiness the host's readiness
     * @param mapper writes the reports
     */
    record Source(Supplier<Readiness> readiness, ObjectMapper mapper) {
    }

    private final Supplier<Readiness> readiness;
    private final ObjectMapper mapper;

    /** Created by Jersey for each request. */
    @Inject
    public HealthResource(Source source) {
        this.readiness = source.readiness();
        this.mapper = source.mapper();
    }

    /** Always UP while the server answers. */
    @GET
    @Path("live")
    @Produces(MediaType.APPLICATION_JSON)
    public Response live() throws JsonProcessingException {
        return Response.ok(mapper.writeValueAsString(Map.of("status", "UP"))).build();
    }

    /** UP (200) when start-up deployment finished, DOWN (503) before. */
    @GET
    @Path("ready")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ready() throws JsonProcessingException {
        Readiness r = readiness.get();
        return Response.status(r.ready() ? 200 : 503).entity(mapper.writeValueAsString(r)).build();
    }
}
