package dev.plugboard.host.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.ElicitResult;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.api.client.InputResponses;
import dev.plugboard.api.client.Root;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.client.SamplingResult;
import dev.plugboard.api.content.Message;
import dev.plugboard.api.context.Caller;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.upstream.UpstreamConnection;
import dev.plugboard.api.upstream.UpstreamTarget;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's upstream client as a command, for the official conformance suite's client scenarios
 * ({@code conformance client --command "java -cp 'lib/*' dev.plugboard.host.upstream.ConformanceClient"}):
 * it connects to the URL given last, in the revision {@code MCP_CONFORMANCE_PROTOCOL_VERSION} names,
 * lists the tools and calls each with arguments made from its schema, answering what the server asks
 * as a client would (a form with its defaults, a fixed model answer, no roots). Not part of any API.
 */
public final class ConformanceClient {

    private ConformanceClient() {
    }

    /**
     * Runs one scenario.
     *
     * @param args the server's URL, last
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ConformanceClient <server url>");
            System.exit(2);
        }
        String version = System.getenv().getOrDefault("MCP_CONFORMANCE_PROTOCOL_VERSION", "2025-11-25");
        ObjectMapper mapper = new ObjectMapper();
        UpstreamClientService service = new UpstreamClientService(new JsonRpcCodec(), "conformance");
        var clients = service.getService(null, null);
        try (UpstreamConnection c = clients.connect(new UpstreamTarget.Http(URI.create(args[args.length - 1]), Map.of()),
                version, Duration.ofSeconds(20), (method, params) -> System.err.println("notified: " + method))) {
            JsonNode tools = mapper.readTree(c.request("tools/list", "{}", null).get(20, TimeUnit.SECONDS)).path("tools");
            for (JsonNode tool : tools) {
                ObjectNode params = mapper.createObjectNode().put("name", tool.path("name").asText());
                params.set("arguments", arguments(tool.path("inputSchema"), mapper));
                String result = c.request("tools/call", params.toString(), new Answering())
                        .get(30, TimeUnit.SECONDS);
                System.err.println(tool.path("name").asText() + ": " + result);
            }
        }
        service.ungetService(null, null, clients);
    }

    /** Arguments for a schema: each property's default, else a value of its type. */
    private static ObjectNode arguments(JsonNode schema, ObjectMapper mapper) {
        ObjectNode args = mapper.createObjectNode();
        schema.path("properties").properties().forEach(e -> {
            JsonNode p = e.getValue();
            if (p.has("default")) {
                args.set(e.getKey(), p.get("default"));
                return;
            }
            switch (p.path("type").asText()) {
                case "number", "integer" -> args.put(e.getKey(), e.getKey().equals("b") ? 3 : 5);
                case "boolean" -> args.put(e.getKey(), true);
                case "array" -> args.putArray(e.getKey());
                case "object" -> args.putObject(e.getKey());
                default -> args.put(e.getKey(), "test");
            }
        });
        return args;
    }

    /** A client that answers: forms with their defaults, a fixed model answer, no roots. */
    private static final class Answering implements RequestContext {

        @Override
        public Caller caller() {
            return new Caller() {
                @Override
                public String principal() {
                    return "anonymous";
                }

                @Override
                public Set<String> roles() {
                    return Set.of();
                }

                @Override
                public Optional<String> clientName() {
                    return Optional.of("conformance-client");
                }

                @Override
                public Optional<String> clientVersion() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> sessionId() {
                    return Optional.empty();
                }
            };
        }

        @Override
        public void progress(double progress, double total, String message) {
            System.err.println("progress " + progress + "/" + total);
        }

        @Override
        public void log(LogLevel level, String message) {
            System.err.println("log " + level + ": " + message);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean supports(ClientCapability capability) {
            return true;
        }

        @Override
        public InputResponses ask(Map<String, InputRequest> requests) {
            Map<String, Object> answers = new LinkedHashMap<>();
            requests.forEach((key, r) -> answers.put(key, switch (r) {
                case ElicitRequest e -> elicit(e);
                case SamplingRequest s -> sample(s);
                case dev.plugboard.api.client.RootsRequest x -> roots();
            }));
            return new InputResponses(answers);
        }

        @Override
        public ElicitResult elicit(ElicitRequest request) {
            Map<String, Object> content = new LinkedHashMap<>();
            if (request.requestedSchema().get("properties") instanceof Map<?, ?> properties) {
                properties.forEach((name, p) -> {
                    if (p instanceof Map<?, ?> property && property.containsKey("default")) {
                        content.put(String.valueOf(name), property.get("default"));
                    }
                });
            }
            return new ElicitResult(ElicitResult.Action.ACCEPT, content);
        }

        @Override
        public SamplingResult sample(SamplingRequest request) {
            return new SamplingResult(Message.assistant("a conformance answer"), "conformance-model", "endTurn");
        }

        @Override
        public List<Root> roots() {
            return List.of();
        }
    }
}
