package dev.plugboard.host.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * {@code GET /health}: every part's state as JSON, with the server's (its worst part's): 200 when
 * up or degraded (it serves), 503 when a part is down. The probes {@code /health/live} and
 * {@code /health/ready} are unchanged.
 */
public final class HealthPage extends HttpHandler {

    private final HealthParts parts;
    private final ObjectMapper mapper;
    private final String version;

    /**
     * @param version the server's version, shown in the report
     */
    public HealthPage(HealthParts parts, ObjectMapper mapper, String version) {
        this.parts = parts;
        this.mapper = mapper;
        this.version = version;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        if (request.getMethod() != Method.GET && request.getMethod() != Method.HEAD) {
            response.setHeader("Allow", "GET, HEAD");
            write(response, 405, "application/problem+json", mapper.createObjectNode().put("type", "about:blank")
                    .put("title", "Method Not Allowed").put("status", 405).put("detail", "use GET"));
            return;
        }
        HealthParts.Report report = parts.report();
        ObjectNode body = mapper.createObjectNode();
        body.put("status", report.state().name());
        body.put("version", version);
        ObjectNode list = body.putObject("parts");
        report.parts().forEach((name, status) -> {
            ObjectNode part = list.putObject(name);
            part.put("status", status.state().name());
            status.details().forEach((key, value) -> part.set(key, mapper.valueToTree(value)));
        });
        response.setHeader("Cache-Control", "no-store");
        write(response, report.state() == PartStatus.State.DOWN ? 503 : 200, "application/json", body);
    }

    private void write(Response response, int status, String type, ObjectNode body) throws java.io.IOException {
        byte[] bytes = mapper.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
