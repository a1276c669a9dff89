package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.tracing.TraceContext;
import dev.plugboard.host.protocol.ClientChannel;
import dev.plugboard.host.protocol.InputRequiredSignal;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Builds the context of a call into plugin code (tool, prompt, resource) for either revision, and
 * turns a stateless call that needs the client's input into an input-required result.
 */
final class Contexts {

    /** A call's context and, under the stateless revision, the client's answers it started with. */
    record Call(CallContext context, Map<String, JsonNode> answers) {
    }

    private final ClientMessages messages;
    private final RequestStates states;
    private final Duration clientTimeout;

    Contexts(ClientMessages messages, RequestStates states, Duration clientTimeout) {
        this.messages = messages;
        this.states = states;
        this.clientTimeout = clientTimeout;
    }

    /**
     * The context of a call.
     *
     * @param name the tool's or prompt's name, or the resource's URI: a sealed state is bound to it
     * @throws McpException when a stateless retry carries a state that is not intact
     */
    Call create(RequestScope scope, JsonRpcRequest request, String name, String logger) {
        Opening opening = open(scope, request, name);
        CallContext context = new CallContext(scope.caller(), RequestScope.progressToken(request.params()),
                scope.related(), scope.logThreshold(), logger, opening.channel());
        TraceContext.fromParams(request.params()).ifPresent(context::trace);
        scope.track().accept(context);
        return new Call(context, opening.answers());
    }

    /** How a call reaches its client, and the answers a stateless retry brought. */
    record Opening(ClientChannel channel, Map<String, JsonNode> answers) {
    }

    /**
     * How a call reaches its client, for a caller that builds the context itself (a task).
     *
     * @throws McpException when a stateless retry carries a state that is not intact
     */
    Opening open(RequestScope scope, JsonRpcRequest request, String name) {
        if (scope.stateless()) {
            Map<String, JsonNode> answers = answers(request, name);
            return new Opening(new RetryChannel(scope.capabilities(), answers, messages), answers);
        }
        return new Opening(new SessionChannel(scope.session(), scope.related(), messages, clientTimeout), Map.of());
    }

    /** The messages to and from the client. */
    ClientMessages messages() {
        return messages;
    }

    /** How long a session's client has to answer. */
    Duration clientTimeout() {
        return clientTimeout;
    }

    /** Maps an input-required signal to its result; passes every other failure on. */
    Function<Throwable, Object> inputRequired(JsonRpcRequest request, String name, Call call) {
        return failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                    : failure;
            if (!(cause instanceof InputRequiredSignal signal)) {
                throw failure instanceof CompletionException c ? c : new CompletionException(cause);
            }
            ObjectNode result = JsonNodeFactory.instance.objectNode().put("resultType", "input_required");
            ObjectNode requests = result.putObject("inputRequests");
            signal.requests().forEach((key, r) -> requests.set(key, messages.asInputRequest(r)));
            result.put("requestState", states.seal(request.method(), name, call.answers()));
            return result;
        };
    }

    private Map<String, JsonNode> answers(JsonRpcRequest request, String name) {
        JsonNode params = request.params();
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        JsonNode state = params == null ? null : params.get("requestState");
        if (state != null && !state.isNull()) {
            if (!state.isTextual()) {
                throw McpException.invalidParams("Invalid params: \"requestState\" must be a string");
            }
            answers.putAll(states.open(state.asText(), request.method(), name));
        }
        JsonNode responses = params == null ? null : params.get("inputResponses");
        if (responses != null && !responses.isNull()) {
            if (!responses.isObject()) {
                throw McpException.invalidParams("Invalid params: \"inputResponses\" must be an object");
            }
            responses.properties().forEach(e -> answers.put(e.getKey(), e.getValue()));
        }
        return answers;
    }
}
