package dev.plugboard.host.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.door.OperationException;
import dev.plugboard.host.door.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Answers the most frequent REST request, a plain JSON tool call, without Jersey: the same
 * operation, body limits and problem documents as {@link ToolsResource#call}, for a fraction of the
 * per-request cost. It takes only requests whose answer Jersey would give the same way ({@code POST
 * /api/v1/tools/<name>/call}, a JSON body, an {@code Accept} that prefers JSON); every other request,
 * streaming calls included, goes to Jersey.
 */
final class FastCalls {

    private static final Logger LOG = Logger.getLogger(FastCalls.class.getName());
    private static final String PREFIX = RestApi.PREFIX + "/tools/";
    private static final String SUFFIX = "/call";
    private static final int MAX_NAME = 128;

    private final RestContext rest;

    FastCalls(RestContext rest) {
        this.rest = rest;
    }

    /**
     * Answers the request when it is a plain JSON tool call.
     *
     * @return whether it did; when false, nothing was read or written
     */
    boolean serve(Request request, Response response) throws IOException, InterruptedException {
        if (request.getMethod() != Method.POST) {
            return false;
        }
        String name = toolName(request.getRequestURI());
        if (name == null || !isJson(request.getContentType()) || !prefersJson(request.getHeader("Accept"))) {
            return false;
        }
        try {
            ObjectNode result = Await.result(rest, request, rest.operations().callTool(name,
                    rest.body(request, request.getInputStream()), Progress.NONE));
            write(response, 200, "application/json", rest.mapper().writeValueAsBytes(result));
        } catch (OperationException e) {
            problem(response, Problem.of(e));
        } catch (ProblemException e) {
            problem(response, e.problem());
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warning(() -> "A REST call failed: " + e.getClass().getSimpleName());
            LOG.log(Level.FINE, "Stack trace of the failed REST call", e);
            problem(response, new Problem("internal", 500, "Internal error", "Internal error"));
        }
        return true;
    }

    /** The tool name of a call path, or null when the path is not one (or needs decoding). */
    static String toolName(String path) {
        if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
            return null;
        }
        int end = path.length() - SUFFIX.length();
        if (end <= PREFIX.length() || end - PREFIX.length() > MAX_NAME) {
            return null;
        }
        for (int i = PREFIX.length(); i < end; i++) {
            char c = path.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '.')) {
                return null;
            }
        }
        return path.substring(PREFIX.length(), end);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().equalsIgnoreCase("application/json");
    }

    /**
     * Whether Jersey would answer in JSON: no {@code Accept}, or one that rates JSON above zero and
     * at least as high as an event stream (on a tie the JSON method's higher server quality wins).
     */
    static boolean prefersJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        double json = 0;
        double events = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.startsWith("q=") || p.startsWith("Q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            if (type.equals("application/json") || type.equals("application/*") || type.equals("*/*")) {
                json = Math.max(json, q);
            }
            if (type.equals("text/event-stream") || type.equals("text/*") || type.equals("*/*")) {
                events = Math.max(events, q);
            }
        }
        return json > 0 && json >= events;
    }

    private static void problem(Response response, Problem problem) throws IOException {
        if (problem.status() == 503 || problem.status() == 429) {
            response.setHeader("Retry-After", "1");
        }
        write(response, problem.status(), Problem.MEDIA_TYPE.toString(), problem.json().toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void write(Response response, int status, String type, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }
}
