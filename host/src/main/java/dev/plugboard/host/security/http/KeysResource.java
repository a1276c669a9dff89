package dev.plugboard.host.security.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.rest.ApiDoc;
import dev.plugboard.host.rest.Problem;
import dev.plugboard.host.security.ApiKeys;
import dev.plugboard.host.security.Operation;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.security.Rights;
import dev.plugboard.host.security.Security;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/keys}: list, create (the key is in the answer, once) and revoke API keys.
 */
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
public final class KeysResource {

    private static final int MAX_JSON_BYTES = 64 * 1024;

    private final Security security;
    private final ObjectMapper json;

    /** Created by Jersey for each request. */
    @Inject
    KeysResource(KeysApi.Services services) {
        this.security = services.security();
        this.json = services.json();
    }

    /** The keys, without their secrets. */
    @GET
    @ApiDoc(tag = "admin", summary = "List the API keys (never the keys themselves)", problems = {401, 403})
    public Response list() {
        if (!Principal.current().rights().may(Operation.KEYS)) {
            return forbidden();
        }
        ObjectNode out = json.createObjectNode();
        var list = out.putArray("keys");
        security.keys().list().forEach(k -> list.add(describe(k)));
        return Response.ok(out).build();
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
            return forbidden();
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
        Principal who = Principal.current();
        try {
            for (String role : roles) {
                if (!security.roles().exists(role)) {
                    throw new IllegalArgumentException("unknown role '" + role + "' (known: " + security.roles().names()
                            + ")");
                }
                Rights granted = security.roles().rightsOf(List.of(role));
                if (!who.rights().may(Operation.ADMIN)
                        && (granted.may(Operation.ADMIN) || granted.may(Operation.KEYS))) {
                    // a key manager who is not an admin cannot mint keys stronger than itself
                    throw new IllegalArgumentException("role '" + role + "' grants administration; only an admin may"
                            + " create keys with it");
                }
            }
            Instant expires = request.hasNonNull("expires") ? ApiKeys.expiry(request.get("expires").asText(),
                    Instant.now()) : null;
            ApiKeys.Created created = security.keys().add(request.path("name").asText(null), roles, tools, expires);
            security.audit().record(who.name(), who.credential(), "keys.add " + created.key().name(), "done",
                    "roles " + created.key().roles() + ", tools " + created.key().tools());
            ObjectNode out = describe(created.key());
            out.put("key", created.secret());
            return Response.status(201).entity(out).build();
        } catch (IllegalArgumentException e) {
            security.audit().record(who.name(), who.credential(), "keys.add", "refused", e.getMessage());
            boolean taken = e.getMessage().contains("exists already");
            return problem(taken ? 409 : 400, taken ? "conflict" : "invalid-request",
                    taken ? "Conflict" : "Invalid request", e.getMessage());
        }
    }

    /** Revokes a key by name or id. */
    @DELETE
    @Path("{name}")
    @ApiDoc(tag = "admin", summary = "Revoke an API key (by name or id)", problems = {401, 403, 404})
    public Response revoke(@PathParam("name") String name) {
        Principal who = Principal.current();
        if (!who.rights().may(Operation.KEYS)) {
            return forbidden();
        }
        return security.keys().revoke(name).map(k -> {
            security.audit().record(who.name(), who.credential(), "keys.revoke " + k.name(), "done", null);
            return Response.noContent().build();
        }).orElseGet(() -> problem(404, "not-found", "Not found", "no API key named '" + name + "'"));
    }

    private ObjectNode describe(ApiKeys.Key k) {
        ObjectNode o = json.createObjectNode().put("id", k.id()).put("name", k.name());
        k.roles().forEach(o.putArray("roles")::add);
        k.tools().forEach(o.putArray("tools")::add);
        o.put("created", k.created().toString());
        o.put("expires", k.expires() == null ? null : k.expires().toString());
        return o;
    }

    /** Checked here too, not only at the front door: Jersey matches spellings of a path the door does not. */
    private static Response forbidden() {
        return problem(403, "forbidden", "Forbidden", "managing API keys needs the 'keys' right");
    }

    private static Response problem(int status, String kind, String title, String detail) {
        return new Problem(kind, status, title, detail).response();
    }
}
