package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.host.protocol.ClientChannel;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.session.Session;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a session's client through server-to-client requests (the session-based revisions), sent on
 * the stream of the request that asks, or on the session's stream when that one is closed.
 */
final class SessionChannel implements ClientChannel {

    private final Session session;
    private final MessageSink related;
    private final ClientMessages messages;
    private final Duration timeout;

    SessionChannel(Session session, MessageSink related, ClientMessages messages, Duration timeout) {
        this.session = session;
        this.related = related;
        this.messages = messages;
        this.timeout = timeout;
    }

    @Override
    public boolean supports(ClientCapability capability) {
        return session.capabilities().has(capability.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public Map<String, Object> ask(Map<String, InputRequest> requests) throws InterruptedException {
        Map<String, CompletableFuture<JsonRpcResponse>> pending = new LinkedHashMap<>();
        try {
            for (var entry : requests.entrySet()) {
                String id = session.nextServerRequestId();
                CompletableFuture<JsonRpcResponse> answer = session.expect(id);
                pending.put(entry.getKey(), answer);
                JsonRpcRequest request = new JsonRpcRequest(TextNode.valueOf(id), ClientMessages.method(entry.getValue()),
                        messages.params(entry.getValue()));
                if (!related.send(request) && !session.sendUnprompted(request)) {
                    throw new IllegalStateException("no open stream reaches the client to ask it for input");
                }
            }
            Map<String, Object> answers = new LinkedHashMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            for (var entry : pending.entrySet()) {
                JsonRpcResponse response = entry.getValue().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                InputRequest request = requests.get(entry.getKey());
                switch (response) {
                    case JsonRpcResult r -> answers.put(entry.getKey(),
                            messages.answer(entry.getKey(), request, (JsonNode) r.result()));
                    case JsonRpcError e -> throw new IllegalStateException("the client answered "
                            + ClientMessages.method(request) + " with an error: " + e.error().message());
                }
            }
            return answers;
        } catch (TimeoutException e) {
            throw new IllegalStateException("the client did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the request to the client failed: " + e.getCause().getMessage());
        } finally {
            pending.values().forEach(f -> f.cancel(false));
        }
    }
}
