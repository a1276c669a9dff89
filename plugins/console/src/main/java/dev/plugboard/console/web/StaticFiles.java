package dev.plugboard.console.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The console's scripts and style sheet, from the bundle (htmx and its SSE extension come from webjars). */
@Path(Console.ROOT + "/static")
public final class StaticFiles {

    private static final String CSS = "text/css; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String WEBJARS = "META-INF/resources/webjars/";

    /** Name, type and place in the bundle; the webjars' versions are the pom's. */
    static final Map<String, Asset> FILES = Map.of(
            "console.css", new Asset(CSS, "static/console.css"),
            "console.js", new Asset(JS, "static/console.js"),
            "htmx.min.js", new Asset(JS, WEBJARS + "htmx.org/2.0.8/dist/htmx.min.js"),
            "sse.js", new Asset(JS, WEBJARS + "htmx-ext-sse/2.2.2/sse.js"));

    /** One file, cached by the browser for an hour. */
    @GET
    @Path("{file}")
    public Response file(@PathParam("file") String file) throws IOException {
        Asset entry = FILES.get(file);
        if (entry == null) {
            return Response.status(404).type("text/plain").entity("No such file").build();
        }
        byte[] bytes;
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(entry.path())) {
            if (in == null) {
                return Response.status(404).type("text/plain").entity("No such file").build();
            }
            bytes = in.readAllBytes();
        }
        return Response.ok(bytes).type(entry.type()).header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "public, max-age=3600").build();
    }

    /** A file: its media type and its place in the bundle. */
    record Asset(String type, String path) {
    }
}
