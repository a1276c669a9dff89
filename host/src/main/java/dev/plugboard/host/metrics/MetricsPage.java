package dev.plugboard.host.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/** {@code GET /metrics}: every meter in the Prometheus text format (0.0.4). */
final class MetricsPage extends HttpHandler {

    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsPage(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        if (request.getMethod() != Method.GET && request.getMethod() != Method.HEAD) {
            byte[] problem = "{\"type\":\"about:blank\",\"title\":\"Method Not Allowed\",\"status\":405,\"detail\":\"use GET\"}"
                    .getBytes(StandardCharsets.UTF_8);
            response.setStatus(405);
            response.setHeader("Allow", "GET, HEAD");
            response.setContentType("application/problem+json");
            response.setContentLength(problem.length);
            response.getOutputStream().write(problem);
            return;
        }
        byte[] body = registry.scrape(TEXT_FORMAT).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(TEXT_FORMAT);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
