package dev.plugboard.host.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.http.server.Response;

/**
 * The body of an HTTP error outside MCP: a small RFC 9457 problem document with the status, its
 * reason and a plain sentence, never an exception or a class name.
 */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    /** The problem document as UTF-8 JSON. */
    static byte[] json(int status, String title, String detail) {
        StringBuilder b = new StringBuilder(96).append("{\"type\":\"about:blank\",\"title\":");
        quote(b, title).append(",\"status\":").append(status);
        if (detail != null) {
            quote(b.append(",\"detail\":"), detail);
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sends a problem document as the whole response. */
    static void send(Response response, int status, String title, String detail) throws IOException {
        byte[] body = json(status, title, detail);
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputBuffer().writeBuffer(ResponseBodies.wrap(body));
    }

    private static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        return b.append('"');
    }
}
