package dev.plugboard.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.deploy.Readiness;
import dev.plugboard.host.health.PublicReadiness;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Liveness and readiness probes (the front door routes only these two paths here, after its checks): {@code /health/live} answers while the process serves HTTP;
 * {@code /health/ready} answers 200 once every bundle found at start-up was started or reported as
 * failed, 503 before, with the state of every deployed bundle. Both are open to every caller; the
 * readiness report's text (errors, reasons, an upstream's last error) is shown only to a caller whose
 * credential holds the admin right, the others get its states and counts ({@link PublicReadiness}).
 */
@Path("/health")
public final class HealthResource {

    /**
     * What the probes report on.
     *
     * @param readiness the host's readiness
     * @param mapper writes the reports
     * @param seesDetail whether a request with this {@code Authorization} header (or null) gets the full report
     */
    record Source(Supplier<Readiness> readiness, ObjectMapper mapper, Predicate<String> seesDetail) {
    }

    private final Supplier<Readiness> readiness;
    private final ObjectMapper mapper;
    private final Predicate<String> seesDetail;

    /** Created by Jersey for each request. */
    @Inject
    public HealthResource(Source source) {
        this.readiness = source.readiness();
        this.mapper = source.mapper();
        this.seesDetail = source.seesDetail();
    }

    /** Always UP while the server answers. */
    @GET
    @Path("live")
    @Produces(MediaType.APPLICATION_JSON)
    public Response live() throws JsonProcessingException {
        return Response.ok(mapper.writeValueAsString(Map.of("status", "UP"))).build();
    }

    /** UP (200) when start-up deployment finished, DOWN (503) before; the full report for an admin. */
    @GET
    @Path("ready")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ready(@HeaderParam("Authorization") String authorization) throws JsonProcessingException {
        Readiness r = readiness.get();
        Object body = seesDetail.test(authorization) ? r : PublicReadiness.of(mapper.valueToTree(r));
        return Response.status(r.ready() ? 200 : 503).entity(mapper.writeValueAsString(body))
                .header("Cache-Control", "no-store").header("Vary", "Authorization").build();
    }
}
