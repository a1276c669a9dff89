package dev.plugboard.router.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.router.ChatCall;
import dev.plugboard.router.Router;
import dev.plugboard.router.RouterException;
import dev.plugboard.router.RouterService;
import dev.plugboard.router.conversation.Conversations;
import dev.plugboard.router.routing.RouteDecision;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The router's HTTP doors, served by the host's plugin HTTP extension point (a JAX-RS resource
 * published as a whiteboard service): the OpenAI-compatible {@code POST /v1/chat/completions} and
 * {@code GET /v1/models}, and {@code POST /v1/route}, {@code POST /v1/chat},
 * {@code GET}/{@code POST /v1/context/{conversationId}}. The caller is the host's authenticated
 * principal. Answers carry a {@code plugboard} object and {@code X-Plugboard-*} headers saying which
 * tier and model answered, why, and the cost.
 */
@Component(service = OpenAiResource.class, property = {"osgi.jaxrs.resource=true", "plugboard.http.access=catalog"})
@Path("/v1")
public class OpenAiResource {

    private static final Logger LOG = Logger.getLogger(OpenAiResource.class.getName());

    private final RouterService service;
    private final ObjectMapper mapper = new ObjectMapper();
    /** Where answered decisions are kept for {@code GET /v1/router/decisions}; null outside a framework. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile RecentDecisions recent;

    /** Serves the bundle's router. */
    @Activate
    public OpenAiResource(@Reference RouterService service) {
        this.service = service;
    }

    private static String caller(SecurityContext security) {
        return security == null || security.getUserPrincipal() == null ? "anonymous"
                : security.getUserPrincipal().getName();
    }

    /** OpenAI chat completions, whole or streamed. */
    @POST
    @Path("chat/completions")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, "text/event-stream"})
    public Response completions(String json, @Context SecurityContext security) {
        try {
            ObjectNode body = ChatRequests.object(mapper, json);
            ChatCall call = ChatRequests.completions(caller(security), body);
            Router router = service.router();
            if (body.path("stream").asBoolean(false)) {
                return stream(router, call);
            }
            ObjectNode answer = router.complete(call);
            remember(call, answer);
            return explained(Response.ok(answer.toString(), MediaType.APPLICATION_JSON_TYPE), answer.path("plugboard"))
                    .build();
        } catch (RouterException e) {
            return WireErrors.of(e);
        }
    }

    private void remember(ChatCall call, ObjectNode answer) {
        remember(call, answer.path("plugboard"));
    }

    private void remember(ChatCall call, JsonNode why) {
        RecentDecisions r = recent;
        if (r != null) {
            r.remember(call.caller(), why);
        }
    }

    private Response stream(Router router, ChatCall call) throws RouterException {
        SseBridge bridge = new SseBridge(why -> remember(call, why));
        CompletableFuture<Void> run = new CompletableFuture<>();
        Thread.ofVirtual().name("router-stream-door").start(() -> {
            try {
                router.stream(call, bridge);
                run.complete(null);
            } catch (RouterException e) {
                run.completeExceptionally(e);
            } catch (java.io.IOException e) {
                run.complete(null); // the client went away
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A streamed answer failed", e);
                bridge.abort(WireErrors.body(502, "api_error", "router_failed", "the answer failed inside the router"));
                run.completeExceptionally(e);
            }
        });
        try {
            CompletableFuture.anyOf(bridge.started(), run).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RouterException r) {
                throw r;
            }
            if (!bridge.started().isDone()) {
                throw new RouterException(502, "api_error", "router_failed", 0, "the answer failed inside the router");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException(503, "api_error", "interrupted", 0, "the server is stopping");
        }
        Response.ResponseBuilder r = Response.ok(bridge.output(), "text/event-stream")
                .header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no");
        String model = bridge.started().getNow(null);
        if (model != null) {
            r.header("X-Plugboard-Model", model);
        }
        return r.build();
    }

    private static Response.ResponseBuilder explained(Response.ResponseBuilder r, JsonNode why) {
        if (why.path("tier").isTextual()) {
            r.header("X-Plugboard-Tier", why.path("tier").asText());
        }
        r.header("X-Plugboard-Model", why.path("model").asText());
        r.header("X-Plugboard-Policy", why.path("policy").asText());
        r.header("X-Plugboard-Cost", String.format(Locale.ROOT, "%.8f", why.path("cost").asDouble()));
        r.header("X-Plugboard-Cache", why.path("cache").asText());
        return r;
    }

    /** The models, tiers and {@code auto}, in OpenAI's list format. */
    @GET
    @Path("models")
    @Produces(MediaType.APPLICATION_JSON)
    public Response models() {
        try {
            Router router = service.router();
            ObjectNode out = mapper.createObjectNode();
            out.put("object", "list");
            ArrayNode data = out.putArray("data");
            model(data, "auto", "route").put("description", "the router chooses the tier");
            router.config().tiers().values().forEach(t -> model(data, t.name(), "tier").set("models",
                    mapper.valueToTree(t.models())));
            router.config().models().values().forEach(m -> {
                ObjectNode n = model(data, m.alias(), "model");
                n.put("provider", m.provider());
                n.putObject("pricing").put("inputPerMillion", m.inputPerMillion())
                        .put("outputPerMillion", m.outputPerMillion());
            });
            return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (RouterException e) {
            return WireErrors.of(e);
        }
    }

    private static ObjectNode model(ArrayNode data, String id, String kind) {
        ObjectNode n = data.addObject();
        n.put("id", id);
        n.put("object", "model");
        n.put("created", 0);
        n.put("owned_by", "plugboard");
        n.put("kind", kind);
        return n;
    }

    /**
     * The routing decision alone: a chat-completions body, or {@code {"message": ...}} with the
     * {@code plugboard} fields at the top level.
     */
    @POST
    @Path("route")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response route(String json, @Context SecurityContext security) {
        try {
            ObjectNode body = ChatRequests.object(mapper, json);
            ChatCall call = ChatRequests.message(mapper, caller(security), body);
            RouteDecision d = service.router().route(Router.routeRequest(call));
            return Response.ok(ChatRequests.decision(mapper, d).toString(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (RouterException e) {
            return WireErrors.of(e);
        }
    }

    /**
     * One message in a conversation: {@code {"message", "conversationId"?, "model"?, "qualityLevel"?,
     * "project"?, "modelPreferences"?, "maxCostUsd"?}}; a new conversation gets an id.
     */
    @POST
    @Path("chat")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response chat(String json, @Context SecurityContext security) {
        try {
            ObjectNode body = ChatRequests.object(mapper, json);
            if (!body.hasNonNull("conversationId")) {
                body.put("conversationId", UUID.randomUUID().toString());
            }
            ChatCall call = ChatRequests.message(mapper, caller(security), body);
            ObjectNode answer = service.router().complete(call);
            remember(call, answer);
            ObjectNode out = ChatRequests.reply(mapper, call, answer);
            return explained(Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE), answer.path("plugboard"))
                    .build();
        } catch (RouterException e) {
            return WireErrors.of(e);
        }
    }

    /** A conversation's summary and kept messages. */
    @GET
    @Path("context/{conversationId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response context(@PathParam("conversationId") String id, @Context SecurityContext security) {
        try {
            Conversations conversations = conversations();
            return Response.ok(ChatRequests.context(mapper, id, conversations.load(caller(security), id)).toString(),
                    MediaType.APPLICATION_JSON_TYPE).build();
        } catch (RouterException e) {
            return WireErrors.of(e);
        }
    }

    /** Adds messages to a conversation, and sets its summary: {@code {"messages"?: [...], "summary"?: "..."}}. */
    @POST
    @Path("context/{conversationId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response addContext(@PathParam("conversationId") String id, String json, @Context SecurityContext security) {
        try {
            ObjectNode body = ChatRequests.object(mapper, json);
            Conversations conversations = conversations();
            String caller = caller(security);
            List<ObjectNode> messages = new ArrayList<>();
            JsonNode list = body.path("messages");
            if (!list.isMissingNode() && !list.isArray()) {
                throw RouterException.invalid("\"messages\" must be an array of chat messages");
            }
            for (JsonNode m : list) {
                if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isTextual()) {
                    throw RouterException.invalid("each message needs a \"role\" and a \"content\" string");
                }
                messages.add((ObjectNode) m);
            }
            String summary = ChatRequests.text(body, "summary");
            if (messages.isEmpty() && summary == null) {
                throw RouterException.invalid("send \"messages\", a \"summary\", or both");
            }
            Conversations.Conversation c = conversations.load(caller, id);
            if (summary != null) {
                c = conversations.summarise(caller, id, summary);
            }
            if (!messages.isEmpty()) {
                c = conversations.append(caller, id, messages);
            }
            return Response.ok(ChatRequests.context(mapper, id, c).toString(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (RouterException e) {
            return WireErrors.of(e);
        }
    }

    private Conversations conversations() throws RouterException {
        service.router();
        return service.conversations().orElseThrow(() -> new RouterException(503, "api_error",
                "router_not_configured", 0, "the model router is not configured"));
    }}
