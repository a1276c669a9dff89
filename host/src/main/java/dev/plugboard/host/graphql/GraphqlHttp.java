package dev.plugboard.host.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionResult;
import graphql.language.OperationDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.glassfish.grizzly.http.server.Response;

/**
 * GraphQL over HTTP at {@code /graphql}: POST with {@code application/json}, GET with {@code query=}
 * for queries only, answered as {@code application/graphql-response+json} when the client accepts it
 * (then with 4xx for documents refused before execution) and as {@code application/json} otherwise
 * (always 200 once the request is well formed).
 */
final class GraphqlHttp {

    static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
    static final String JSON = "application/json";

    private final GraphqlService service;
    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    private final Function<String, Caller> callers;

    /**
     * @param callers who the caller is, from the {@code Authorization} header (null when absent)
     */
    GraphqlHttp(GraphqlService service, ObjectMapper mapper, long maxBodyBytes, Function<String, Caller> callers) {
        this.service = service;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
        this.callers = callers;
    }

    void service(Request request, Response response) throws IOException {
        String accept = request.getHeader("Accept");
        Optional<String> mediaType = responseType(accept);
        String method = request.getMethod().getMethodString();
        if (!"GET".equals(method) && !"POST".equals(method)) {
            response.setHeader("Allow", "GET, POST");
            send(response, JSON, 405, GraphqlService.problem(ErrorCode.BAD_USER_INPUT,
                    "use POST (or GET for queries) on /graphql"));
            return;
        }
        if (mediaType.isEmpty()) {
            send(response, JSON, 406, GraphqlService.problem(ErrorCode.BAD_USER_INPUT,
                    "accept " + GRAPHQL_RESPONSE + " or " + JSON));
            return;
        }
        String type = mediaType.get();
        GraphqlRequest graphqlRequest;
        try {
            graphqlRequest = "GET".equals(method) ? fromQueryString(request) : fromBody(request, response, type);
        } catch (GraphqlProblem problem) {
            send(response, type, 400, GraphqlService.problem(problem.code(), problem.getMessage()));
            return;
        }
        if (graphqlRequest == null) {
            return;
        }
        Optional<OperationDefinition.Operation> operation = GraphqlService.operationOf(graphqlRequest);
        if ("GET".equals(method) && operation.isPresent() && operation.get() != OperationDefinition.Operation.QUERY) {
            response.setHeader("Allow", "POST");
            send(response, type, 405, GraphqlService.problem(ErrorCode.BAD_USER_INPUT,
                    "a " + operation.get().name().toLowerCase(Locale.ROOT) + " cannot be sent with GET: use POST"));
            return;
        }
        if (operation.isPresent() && operation.get() == OperationDefinition.Operation.SUBSCRIPTION) {
            send(response, type, 400, GraphqlService.problem(ErrorCode.BAD_USER_INPUT,
                    "subscriptions are served over WebSocket at /graphql (subprotocol graphql-transport-ws)"));
            return;
        }
        ExecutionResult result = service.execute(graphqlRequest, callers.apply(request.getHeader("Authorization")));
        int status = GRAPHQL_RESPONSE.equals(type) && GraphqlService.refusedBeforeExecution(result) ? 400 : 200;
        send(response, type, status, GraphqlService.specification(result));
    }

    private GraphqlRequest fromQueryString(Request request) {
        String query = request.getParameter("query");
        if (query == null || query.isEmpty()) {
            throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT,
                    "GET /graphql needs a query parameter (browsers that accept text/html get GraphiQL)");
        }
        String variables = request.getParameter("variables");
        Map<String, Object> values = Map.of();
        if (variables != null && !variables.isEmpty()) {
            JsonNode node = parse(variables);
            if (!node.isObject() && !node.isNull()) {
                throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "\"variables\" must be a JSON object");
            }
            values = node.isNull() ? Map.of() : GraphqlRequest.from(mapper.createObjectNode()
                    .put("query", query).set("variables", node), mapper).variables();
        }
        String name = request.getParameter("operationName");
        return new GraphqlRequest(query, name == null || name.isEmpty() ? null : name, values);
    }

    private GraphqlRequest fromBody(Request request, Response response, String type) throws IOException {
        String contentType = request.getContentType();
        String base = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!JSON.equals(base)) {
            send(response, type, 415, GraphqlService.problem(ErrorCode.BAD_USER_INPUT,
                    "send the request as " + JSON));
            return null;
        }
        long declared = request.getContentLengthLong();
        byte[] body;
        if (declared > maxBodyBytes) {
            body = null;
        } else {
            try (InputStream in = request.getInputStream()) {
                // With a declared length, read exactly that much: the stream does not end at the body's end.
                body = in.readNBytes((int) (declared >= 0 ? declared : Math.min(Integer.MAX_VALUE - 8,
                        maxBodyBytes + 1)));
            } catch (IOException e) {
                // The body stalled past the body timeout, or the client went away.
                response.addHeader("Connection", "close");
                send(response, type, 408, GraphqlService.problem(ErrorCode.BAD_USER_INPUT,
                        "the request body did not arrive in time"));
                return null;
            }
        }
        if (body == null || body.length > maxBodyBytes) {
            send(response, type, 413, GraphqlService.problem(ErrorCode.BAD_USER_INPUT,
                    "the request is larger than " + maxBodyBytes + " bytes"));
            return null;
        }
        return GraphqlRequest.from(parse(body), mapper);
    }

    private JsonNode parse(Object text) {
        try {
            JsonNode node = text instanceof byte[] bytes ? mapper.readTree(bytes) : mapper.readTree((String) text);
            if (node == null || node.isMissingNode()) {
                throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "the request body is empty");
            }
            return node;
        } catch (IOException e) {
            throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "the request is not valid JSON");
        }
    }

    /** The response media type for an Accept header, or empty when the client accepts neither. */
    static Optional<String> responseType(String accept) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(JSON);
        }
        boolean json = false;
        for (String part : accept.split(",")) {
            String range = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (range.equals(GRAPHQL_RESPONSE)) {
                return Optional.of(GRAPHQL_RESPONSE);
            }
            if (range.equals(JSON) || range.equals("application/*") || range.equals("*/*")) {
                json = true;
            }
        }
        return json ? Optional.of(JSON) : Optional.empty();
    }

    private void send(Response response, String type, int status, Object document) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(document);
        response.setStatus(status);
        response.setContentType(type);
        response.setCharacterEncoding("utf-8");
        response.setContentLength(bytes.length);
        response.getOutputBuffer().writeBuffer(Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, bytes));
    }
}
