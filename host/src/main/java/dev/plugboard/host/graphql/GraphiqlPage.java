package dev.plugboard.host.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.http.server.Response;

/**
 * GraphiQL for browsers at {@code GET /graphql}: a page and its scripts, all served from the host's
 * class path (GraphiQL and React come as webjars in the distribution), no CDN and no inline script.
 */
final class GraphiqlPage {

    static final String ASSETS = "/graphql/assets/";
    private static final String WEBJARS = "META-INF/resources/webjars/";
    private static final Map<String, Asset> FILES = Map.of(
            "graphiql.min.js", new Asset(WEBJARS + "graphiql/2.4.7/graphiql.min.js", "text/javascript"),
            "graphiql.min.css", new Asset(WEBJARS + "graphiql/2.4.7/graphiql.min.css", "text/css"),
            "react.production.min.js", new Asset(WEBJARS + "react/18.2.0/umd/react.production.min.js",
                    "text/javascript"),
            "react-dom.production.min.js", new Asset(WEBJARS + "react-dom/18.2.0/umd/react-dom.production.min.js",
                    "text/javascript"),
            "start.js", new Asset("dev/plugboard/host/graphql/graphiql/start.js", "text/javascript"),
            "page.css", new Asset("dev/plugboard/host/graphql/graphiql/page.css", "text/css"),
            "index.html", new Asset("dev/plugboard/host/graphql/graphiql/index.html", "text/html"));

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** Sends the page. */
    void page(Response response) throws IOException {
        send(response, "index.html");
    }

    /** Sends an asset by its file name; false when there is no such asset. */
    boolean asset(String name, Response response) throws IOException {
        if (!FILES.containsKey(name) || "index.html".equals(name)) {
            return false;
        }
        return send(response, name);
    }

    private boolean send(Response response, String name) throws IOException {
        Optional<byte[]> bytes = bytes(name);
        if (bytes.isEmpty()) {
            return false;
        }
        response.setStatus(200);
        response.setContentType(FILES.get(name).mediaType() + "; charset=utf-8");
        response.setHeader("Cache-Control", "index.html".equals(name) ? "no-cache" : "public, max-age=86400");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // GraphiQL sets styles inline and draws icons from data: URIs.
        response.setHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline';"
                + " img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'");
        response.setContentLength(bytes.get().length);
        response.getOutputStream().write(bytes.get());
        return true;
    }

    private Optional<byte[]> bytes(String name) {
        byte[] cached = cache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = GraphiqlPage.class.getClassLoader().getResourceAsStream(FILES.get(name).path())) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] read = in.readAllBytes();
            cache.put(name, read);
            return Optional.of(read);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private record Asset(String path, String mediaType) {
    }
}
