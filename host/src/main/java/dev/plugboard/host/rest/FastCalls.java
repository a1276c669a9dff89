package dev.plugboard.host.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.door.OperationException;
import dev.plugboard.host.door.Progress;
import dev.plugboard.host.door.RunningCall;
import dev.plugboard.host.http.HangUps;
import dev.plugboard.host.http.HeldResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.concurrent.CompletionException;
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

    /** Whether the request is a plain JSON tool call, which {@link #serve} answers without waiting. */
    static boolean takes(Request request) {
        return request.getMethod() == Method.POST && toolName(request.getRequestURI()) != null
                && isJson(request.getContentType()) && prefersJson(request.getHeader("Accept"));
    }

    /**
     * Answers the request when it is a plain JSON tool call. On a virtual thread (a request of its
     * own) it waits for the call's result. On the network thread (the front door keeps a short call
     * whose body has arrived there, see {@link RestApi}) it hands the call on and returns at once:
     * the thread that completes the call (usually the plugin's) writes the answer, so no thread is
     * woken only to write it, as over MCP.
     *
     * @return whether it did; when false, nothing was read or written
     */
    boolean serve(Request request, Response response) throws IOException, InterruptedException {
        if (!takes(request)) {
            return false;
        }
        String name = toolName(request.getRequestURI());
        try {
            RunningCall call = rest.operations().callTool(name, rest.body(request, request.getInputStream()),
                    Progress.NONE);
            if (Thread.currentThread().isVirtual() || call.result().isDone()) {
                answer(response, Await.result(rest, request, call));
                return true;
            }
            HangUps.Watch cancelIfGone = rest.hangUps().watch(request.getContext().getConnection(), call.cancel());
            HeldResponse held = HeldResponse.hold(response);
            call.result().whenComplete((result, failure) -> {
                cancelIfGone.release();
                try {
                    if (failure == null) {
                        answer(response, result);
                    } else {
                        fail(response, failure instanceof CompletionException c && c.getCause() != null
                                ? c.getCause() : failure);
                    }
                } catch (IOException e) {
                    LOG.fine(() -> "Writing a REST call's answer failed: " + e); // the client went away
                } finally {
                    held.release();
                }
            });
        } catch (RuntimeException e) {
            fail(response, e);
        }
        return true;
    }

    private void answer(Response response, ObjectNode result) throws IOException {
        try {
            write(response, 200, "application/json", rest.mapper().writeValueAsBytes(result));
        } catch (JsonProcessingException e) {
            fail(response, e);
        }
    }

    private static void fail(Response response, Throwable failure) throws IOException {
        switch (failure) {
            case OperationException e -> problem(response, Problem.of(e));
            case ProblemException e -> problem(response, e.problem());
            default -> {
                LOG.warning(() -> "A REST call failed: " + failure.getClass().getSimpleName());
                LOG.log(Level.FINE, "Stack trace of the failed REST call", failure);
                problem(response, new Problem("internal", 500, "Internal error", "Internal error"));
            }
        }
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
        Preference last = lastAccept; // a client sends the same Accept on every call: parsed once
        if (last != null && last.accept().equals(accept)) {
            return last.json();
        }
        boolean json = rates(accept);
        lastAccept = new Preference(accept, json);
        return json;
    }

    /** The latest {@code Accept} value parsed, and what it said. */
    private record Preference(String accept, boolean json) {
    }

    private static volatile Preference lastAccept;

    private static boolean rates(String accept) {
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
