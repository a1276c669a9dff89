package dev.plugboard.host.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.admin.AdminException;
import dev.plugboard.host.admin.AdminException.Reason;
import dev.plugboard.host.admin.PluginSettings;
import dev.plugboard.host.rest.ApiDoc;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/config}: the PIDs that have settings; {@code /api/v1/config/{pid}}: the properties of
 * {@code config/<pid>.cfg}, read and replaced (a JSON object of strings, numbers and booleans), applied
 * live. Admins only.
 */
@Path("/api/v1/config")
@Produces(MediaType.APPLICATION_JSON)
public final class ConfigResource {

    private static final int MAX_JSON_BYTES = 256 * 1024;

    private final PluginSettings settings;
    private final ObjectMapper json;

    /** Created by Jersey for each request. */
    @Inject
    ConfigResource(AdminApi.Services services) {
        this.settings = services.settings();
        this.json = services.json();
    }

    /** The PIDs that have a settings file. */
    @GET
    @ApiDoc(tag = "admin", summary = "List the plugins' configurations", response = "PluginConfigs", problems = {401},
            description = "The PIDs that have a `config/<pid>.cfg`, sorted.")
    public Response list() {
        return json(Map.of("pids", settings.pids()));
    }

    /** The PID's properties. */
    @GET
    @Path("{pid}")
    @ApiDoc(tag = "admin", summary = "Read a plugin's configuration", response = "PluginConfig", problems = {401, 404},
            description = "The properties of `config/<pid>.cfg`.")
    public Response get(@PathParam("pid") String pid) {
        return ok(pid, settings.get(pid));
    }

    /** Replaces the PID's properties. */
    @PUT
    @Path("{pid}")
    @Consumes("application/json")
    @ApiDoc(tag = "admin", summary = "Replace a plugin's configuration", response = "PluginConfig",
            request = "PluginProperties", problems = {401, 413},
            description = "A JSON object of properties (strings, numbers, booleans), or `{\"properties\": {...}}`"
                    + " as GET answers. `config/<pid>.cfg` is replaced atomically and Configuration Admin applies it"
                    + " at once. An invalid key or value is a 400 whose violation points at the key.")
    public Response put(@PathParam("pid") String pid, InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_JSON_BYTES + 1);
        if (bytes.length > MAX_JSON_BYTES) {
            throw new AdminException(Reason.TOO_LARGE, "a configuration may hold at most " + MAX_JSON_BYTES + " bytes");
        }
        Map<String, Object> values;
        try {
            var node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new AdminException(Reason.BAD_REQUEST,
                        "the body must be a JSON object of properties, such as {\"maxResults\": 20}");
            }
            if (node.size() == 1 && node.path("properties").isObject()) {
                node = node.get("properties");
            }
            values = json.convertValue(node, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new AdminException(Reason.BAD_REQUEST, "the body is not valid JSON");
        }
        return ok(pid, settings.put(pid, values));
    }

    private Response ok(String pid, Map<String, String> properties) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pid", pid);
        body.put("properties", properties);
        return json(body);
    }

    private Response json(Map<String, Object> body) {
        try {
            return Response.ok(json.writeValueAsString(body), MediaType.APPLICATION_JSON).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a configuration as JSON", e);
        }
    }
}
