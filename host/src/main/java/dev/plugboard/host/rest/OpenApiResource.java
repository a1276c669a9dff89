package dev.plugboard.host.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The API's description: {@code /api/v1/openapi.json} and {@code .yaml}, and the documentation page
 * {@code /api/v1/docs} (Swagger UI, served from the host's own jar; no script inline, nothing from
 * another origin).
 */
@Path("/api/v1")
public final class OpenApiResource {

    private static final String SWAGGER_UI = "/META-INF/resources/webjars/swagger-ui/5.35.0/";
    /** The files of the page, by name, with their media types. */
    private static final Map<String, String> FILES = Map.of(
            "swagger-ui.css", "text/css",
            "swagger-ui-bundle.js", "text/javascript",
            "swagger-ui-standalone-preset.js", "text/javascript",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png",
            "index.css", "text/css");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'";

    private final RestContext rest;

    /** Created by Jersey for each request. */
    @Inject
    OpenApiResource(RestContext rest) {
        this.rest = rest;
    }

    /** The description as JSON. */
    @GET
    @Path("openapi.json")
    @Produces("application/json")
    @ApiDoc(tag = "api", summary = "This API's OpenAPI 3.1 description (JSON)",
            description = "Generated from the server's resources; each tool has its own call operation with its"
            + " input schema. Changes with the catalogue.")
    public Response json() {
        return Response.ok(rest.openApi().json()).build();
    }

    /** The description as YAML. */
    @GET
    @Path("openapi.yaml")
    @Produces("application/yaml")
    @ApiDoc(tag = "api", summary = "This API's OpenAPI 3.1 description (YAML)")
    public Response yaml() {
        return Response.ok(rest.openApi().yaml()).build();
    }

    /** The documentation page. */
    @GET
    @Path("docs")
    @Produces("text/html")
    @ApiDoc(tag = "api", summary = "Documentation page (Swagger UI)")
    public Response docs() throws IOException {
        return page("docs.html", "text/html; charset=utf-8");
    }

    /** A file of the documentation page. */
    @GET
    @Path("docs/{file}")
    @Produces({"text/javascript", "text/css", "image/png"})
    @ApiDoc(tag = "api", summary = "A file of the documentation page", problems = 404)
    public Response docsFile(@PathParam("file") String file) throws IOException {
        if (file.equals("docs-init.js")) {
            return page(file, "text/javascript");
        }
        String type = FILES.get(file);
        if (type == null) {
            throw new NotFoundException();
        }
        InputStream in = OpenApiResource.class.getResourceAsStream(SWAGGER_UI + file);
        if (in == null) {
            throw new NotFoundException();
        }
        try (in) {
            return Response.ok(in.readAllBytes(), type).header("Cache-Control", "public, max-age=86400").build();
        }
    }

    private static Response page(String name, String type) throws IOException {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(name)) {
            return Response.ok(in.readAllBytes(), type).header("Content-Security-Policy", CSP)
                    .header("X-Content-Type-Options", "nosniff").build();
        }
    }
}
