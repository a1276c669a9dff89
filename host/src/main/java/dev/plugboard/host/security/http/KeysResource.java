package dev.plugboard.host.security.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.rest.ApiDoc;
import dev.plugboard.host.rest.Problem;
import dev.plugboard.host.security.ApiKeys;
import dev.plugboard.host.security.KeyManagement;
import dev.plugboard.host.security.Operation;
import dev.plugboard.host.security.Principal;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/keys}: list, create (the key is in the answer, once) and revoke API keys.
 */
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
public final class KeysResource {

    private static final int MAX_JSON_BYTES = 64 * 1024;

    private final KeyManagement keys;
    private final ObjectMapper json;

    /** Created by Jersey for each request. */
    @Inject
    KeysResource(KeysApi.Services services) {
        this.keys = services.security().keyManagement();
        this.json = services.json();
    }

    /** The keys, without their secrets. */
    @GET
    @ApiDoc(tag = "admin", summary = "List the API keys (never the keys themselves)", problems = {401, 403})
    public Response list() {
        try {
            ObjectNode out = json.createObjectNode();
            var list = out.putArray("keys");
            keys.list(Principal.current()).forEach(k -> list.add(describe(k)));
            return Response.ok(out).build();
        } catch (KeyManagement.Refused e) {
            return problem(e);
        }
    }

    /** Makes a key; the answer holds it, once. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "admin", summary = "Create an API key",
            description = "Body: `{\"name\": \"alice\", \"role\": \"user\", \"tools\": [\"essentials.*\"],"
                    + " \"expires\": \"30d\"}`. The answer's `key` is shown this once.",
            problems = {401, 403, 409})
    public Response add(InputStream body) throws IOException {
        if (!Principal.current().rights().may(Operation.KEYS)) {
            return forbidden(); // before the body is read
        }
        JsonNode request;
        try {
            request = json.readTree(body.readNBytes(MAX_JSON_BYTES));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return problem(400, "malformed-json", "Malformed JSON", "the body is not JSON");
        }
        if (request == null || !request.isObject()) {
            return problem(400, "invalid-request", "Invalid request", "the body must be a JSON object");
        }
        List<String> roles = new ArrayList<>();
        if (request.hasNonNull("role")) {
            roles.add(request.get("role").asText());
        }
        request.path("roles").forEach(r -> roles.add(r.asText()));
        List<String> tools = new ArrayList<>();
        request.path("tools").forEach(t -> tools.add(t.asText()));
        try {
            ApiKeys.Created created = keys.create(Principal.current(), new KeyManagement.Request(
                    request.path("name").asText(null), roles, tools,
                    request.hasNonNull("expires") ? request.get("expires").asText() : null));
            ObjectNode out = describe(created.key());
            out.put("key", created.secret());
            return Response.status(201).entity(out).build();
        } catch (KeyManagement.Refused e) {
            return problem(e);
        }
    }

    /** Revokes a key by name or id. */
    @DELETE
    @Path("{name}")
    @ApiDoc(tag = "admin", summary = "Revoke an API key (by name or id)", problems = {401, 403, 404})
    public Response revoke(@PathParam("name") String name) {
        try {
            keys.revoke(Principal.current(), name);
            return Response.noContent().build();
        } catch (KeyManagement.Refused e) {
            return problem(e);
        }
    }

    private ObjectNode describe(ApiKeys.Key k) {
        ObjectNode o = json.createObjectNode().put("id", k.id()).put("name", k.name());
        k.roles().forEach(o.putArray("roles")::add);
        k.tools().forEach(o.putArray("tools")::add);
        o.put("created", k.created().toString());
        o.put("expires", k.expires() == null ? null : k.expires().toString());
        return o;
    }

    /** A refusal of the key service as its problem document. */
    private static Response problem(KeyManagement.Refused e) {
        return switch (e.failure()) {
            case FORBIDDEN -> forbidden();
            case INVALID -> problem(400, "invalid-request", "Invalid request", e.getMessage());
            case CONFLICT -> problem(409, "conflict", "Conflict", e.getMessage());
            case NOT_FOUND -> problem(404, "not-found", "Not found", e.getMessage());
        };
    }

    private static Response forbidden() {
        return problem(403, "forbidden", "Forbidden", KeyManagement.NEEDS_RIGHT);
    }

    private static Response problem(int status, String kind, String title, String detail) {
        return new Problem(kind, status, title, detail).response();
    }
}
