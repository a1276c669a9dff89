package dev.plugboard.host.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * One GraphQL request as the GraphQL-over-HTTP and graphql-transport-ws protocols carry it.
 *
 * @param query the document
 * @param operationName the operation to run, or null when the document has one
 * @param variables the variables, never null
 */
record GraphqlRequest(String query, String operationName, Map<String, Object> variables) {

    GraphqlRequest {
        variables = variables == null ? Map.of() : variables;
    }

    /**
     * Reads a request from its JSON object form.
     *
     * @throws GraphqlProblem BAD_USER_INPUT when a member is missing or of the wrong type
     */
    @SuppressWarnings("unchecked")
    static GraphqlRequest from(JsonNode node, ObjectMapper mapper) {
        if (node == null || !node.isObject()) {
            throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "the request must be a JSON object");
        }
        JsonNode query = node.get("query");
        if (query == null || !query.isTextual()) {
            throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "the request needs \"query\", a string");
        }
        JsonNode name = node.get("operationName");
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "\"operationName\" must be a string or null");
        }
        JsonNode variables = node.get("variables");
        if (variables != null && !variables.isNull() && !variables.isObject()) {
            throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "\"variables\" must be an object or null");
        }
        return new GraphqlRequest(query.asText(), name == null || name.isNull() ? null : name.asText(),
                variables == null || variables.isNull() ? Map.of() : mapper.convertValue(variables, Map.class));
    }
}
