package dev.plugboard.host.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.admin.AdminException;
import dev.plugboard.host.admin.AdminException.Reason;
import dev.plugboard.host.admin.Module;
import dev.plugboard.host.admin.Modules;
import dev.plugboard.host.rest.ApiDoc;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/modules}: list, install (multipart {@code file}, a raw jar, or JSON {@code {"url":
 * ...}}), show, update (a raw jar), start, stop and remove modules. Admins only.
 */
@Path("/api/v1/modules")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public final class ModulesResource {

    private static final int MAX_JSON_BYTES = 64 * 1024;
    /** Room for the multipart framing around a jar of the largest size allowed. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final Modules modules;
    private final ObjectMapper json;

    /** Created by Jersey for each request. */
    @Inject
    ModulesResource(AdminApi.Services services) {
        this.modules = services.modules();
        this.json = services.json();
    }

    /** Every module. */
    @GET
    @ApiDoc(tag = "admin", summary = "List the modules", response = "ModuleList", problems = {401},
            description = "Every jar of the deploy folder: symbolic name, version, state, file, what it provides"
                    + " and its last error. Needs `Authorization: Bearer <admin key>`.")
    public Response list() {
        return ok(Map.of("modules", modules.list()));
    }

    /** Installs a module. */
    @POST
    @Consumes({"multipart/form-data", "application/java-archive", "application/octet-stream", "application/json"})
    @ApiDoc(tag = "admin", summary = "Install a module", response = "Module", request = "InstallFromUrl",
            problems = {401, 403, 409, 413, 415, 422, 502},
            description = "The jar as `multipart/form-data` (field `file`) or as the raw body (`application/java-archive`"
                    + " or `application/octet-stream`), or `{\"url\": ...}` as `application/json` for a URL that"
                    + " `admin.installUrls` allows. The jar is checked first (a jar, a bundle, no exit calls, it"
                    + " resolves); a refused jar changes nothing. Answers 201 with the started module.")
    public Response install(@Context HttpHeaders headers, InputStream body) throws IOException {
        String type = mediaType(headers);
        Module installed;
        if (type.equals("multipart/form-data")) {
            checkLength(headers, modules.settings().maxUploadBytes() + MULTIPART_OVERHEAD);
            installed = modules.install(MultipartUpload.part(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE), "file"));
        } else if (isJar(type)) {
            checkLength(headers, modules.settings().maxUploadBytes());
            installed = modules.install(body);
        } else if (type.equals("application/json")) {
            JsonNode url = readJson(body).get("url");
            if (url == null || !url.isTextual()) {
                throw new AdminException(Reason.BAD_REQUEST, "a JSON body must be {\"url\": \"https://...\"}");
            }
            installed = modules.installFrom(url.asText());
        } else {
            throw unsupported();
        }
        return Response.created(URI.create("/api/v1/modules/" + installed.name())).type(MediaType.APPLICATION_JSON)
                .entity(write(installed)).build();
    }

    /** One module. */
    @GET
    @ApiDoc(tag = "admin", summary = "Show a module", response = "Module", problems = {401, 404})
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        return ok(modules.get(name));
    }

    /** Replaces a module by a new version of its bundle. */
    @PUT
    @Consumes({"application/java-archive", "application/octet-stream", "multipart/form-data"})
    @ApiDoc(tag = "admin", summary = "Update a module", response = "Module", problems = {401, 404, 409, 413, 415, 422},
            description = "A new jar of the same bundle, written over the module's file in the deploy folder; calls in"
                    + " flight finish on the old version and callers of its tools wait for the new one. When the new"
                    + " version cannot start, the previous jar is put back.")
    @Path("{name}")
    public Response update(@PathParam("name") String name, @Context HttpHeaders headers, InputStream body)
            throws IOException {
        String type = mediaType(headers);
        if (type.equals("multipart/form-data")) {
            checkLength(headers, modules.settings().maxUploadBytes() + MULTIPART_OVERHEAD);
            modules.get(name);
            return ok(modules.update(name, MultipartUpload.part(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                    "file")));
        }
        if (!isJar(type)) {
            throw unsupported();
        }
        checkLength(headers, modules.settings().maxUploadBytes());
        modules.get(name);
        return ok(modules.update(name, body));
    }

    /** Starts a module. */
    @POST
    @ApiDoc(tag = "admin", summary = "Start a module", response = "Module", problems = {401, 404, 422})
    @Path("{name}/start")
    public Response start(@PathParam("name") String name) {
        return ok(modules.start(name));
    }

    /** Stops a module. */
    @POST
    @ApiDoc(tag = "admin", summary = "Stop a module", response = "Module", problems = {401, 404},
            description = "Its calls in flight get the drain time to finish; it stays installed and starts again with"
                    + " the host.")
    @Path("{name}/stop")
    public Response stop(@PathParam("name") String name) {
        return ok(modules.stop(name));
    }

    /** Removes a module and its jar. */
    @DELETE
    @ApiDoc(tag = "admin", summary = "Remove a module", problems = {401, 404},
            description = "Uninstalls it and deletes its jar from the deploy folder. Answers 204.")
    @Path("{name}")
    public Response remove(@PathParam("name") String name) {
        modules.remove(name);
        return Response.noContent().build();
    }

    private static String mediaType(HttpHeaders headers) {
        String type = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isJar(String type) {
        return type.equals("application/java-archive") || type.equals("application/octet-stream")
                || type.equals("application/zip") || type.equals("application/x-java-archive");
    }

    /** Refuses a body whose declared length is past the limit before any of it is read. */
    private void checkLength(HttpHeaders headers, long limit) {
        String length = headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    throw new AdminException(Reason.TOO_LARGE, "the jar is larger than the limit of "
                            + modules.settings().maxUploadBytes() + " bytes (setting admin.maxUploadBytes)");
                }
            } catch (NumberFormatException e) {
                throw new AdminException(Reason.BAD_REQUEST, "Content-Length is not a number");
            }
        }
    }

    private JsonNode readJson(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_JSON_BYTES + 1);
        if (bytes.length > MAX_JSON_BYTES) {
            throw new AdminException(Reason.TOO_LARGE, "a JSON body may hold at most " + MAX_JSON_BYTES + " bytes");
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new AdminException(Reason.BAD_REQUEST, "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new AdminException(Reason.BAD_REQUEST, "the body is not valid JSON");
        }
    }

    private static WebApplicationException unsupported() {
        return new WebApplicationException(415);
    }

    private Response ok(Object entity) {
        return Response.ok(write(entity), MediaType.APPLICATION_JSON).build();
    }

    private String write(Object entity) {
        try {
            return json.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a module as JSON", e);
        }
    }
}
