package dev.plugboard.host.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.deploy.Readiness;
import dev.plugboard.host.health.PublicReadiness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Liveness and readiness probes (the front door routes every path under {@code /health/} here, after
 * its checks): {@code /health/live} answers while the process serves HTTP; {@code /health/ready}
 * answers 200 once every bundle found at start-up was started or reported as failed, 503 before,
 * with the state of every deployed bundle. Both are open to every caller; the readiness report's text
 * (errors, reasons, an upstream's last error) is shown only to a caller whose credential holds the
 * admin right, the others get its states and counts ({@link PublicReadiness}).
 *
 * <p>A plain handler rather than a Jersey application: two fixed paths need no resource model, and
 * the probes then answer from the first moment the server listens, without a framework to build.
 */
final class HealthProbes extends HttpHandler {

    private static final String LIVE = "/health/live";
    private static final String READY = "/health/ready";
    private static final String ALLOW = "GET, HEAD, OPTIONS";
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    private final Supplier<Readiness> readiness;
    private final ObjectMapper mapper;
    private final Predicate<String> seesDetail;

    /**
     * @param readiness the host's readiness
     * @param mapper writes the reports
     * @param seesDetail whether a request with this {@code Authorization} header (or null) gets the full report
     */
    HealthProbes(Supplier<Readiness> readiness, ObjectMapper mapper, Predicate<String> seesDetail) {
        this.readiness = readiness;
        this.mapper = mapper;
        this.seesDetail = seesDetail;
    }

    @Override
    public void service(Request request, Response response) throws IOException {
        String path = request.getRequestURI();
        boolean live = path.equals(LIVE);
        if (!live && !path.equals(READY)) {
            Problems.send(response, 404, "Not Found", "the probes are " + LIVE + " and " + READY);
            return;
        }
        Method method = request.getMethod();
        if (method == Method.OPTIONS) {
            response.setHeader("Allow", ALLOW);
            response.setStatus(204);
            return;
        }
        if (method != Method.GET && method != Method.HEAD) {
            response.setHeader("Allow", ALLOW);
            Problems.send(response, 405, "Method Not Allowed", "the probes answer GET");
            return;
        }
        if (live) {
            write(response, 200, UP, method);
            return;
        }
        Readiness now = readiness.get();
        Object body = seesDetail.test(request.getHeader("Authorization")) ? now
                : PublicReadiness.of(mapper.valueToTree(now));
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Vary", "Authorization");
        write(response, now.ready() ? 200 : 503, mapper.writeValueAsBytes(body), method);
    }

    private static void write(Response response, int status, byte[] body, Method method) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        if (method != Method.HEAD) {
            response.getOutputBuffer().writeBuffer(ResponseBodies.wrap(body));
        }
    }
}
