package dev.plugboard.router.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.McpProvider;
import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.router.ChatCall;
import dev.plugboard.router.Router;
import dev.plugboard.router.RouterException;
import dev.plugboard.router.RouterService;
import dev.plugboard.router.http.RecentDecisions;
import dev.plugboard.router.routing.ModelPreferences;
import dev.plugboard.router.routing.RouteDecision;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The router's MCP tools: {@code chat} (with a conversation), {@code route} (the decision alone) and
 * {@code ask} (one question), listed only while {@code router.json} configures a router. Failures (an unknown model, a spent budget, every model failing) are
 * tool errors whose text names the cause.
 */
@Component(service = RouterTools.class, enabled = false)
@McpProvider
public class RouterTools {

    /** How much an answer matters; higher levels may route to stronger tiers. */
    public enum QualityLevel {
        /** The default. */
        NORMAL,
        /** Worth a stronger model. */
        HIGH,
        /** Worth the strongest model. */
        CRITICAL
    }

    /**
     * A model-name hint, as in MCP's {@code modelPreferences}.
     *
     * @param name a substring of a model's name
     */
    public record Hint(String name) {
    }

    /**
     * MCP's {@code modelPreferences}.
     *
     * @param costPriority how much a low price matters, 0 to 1
     * @param speedPriority how much speed matters, 0 to 1
     * @param intelligencePriority how much capability matters, 0 to 1
     * @param hints model-name hints, most preferred first
     */
    public record Preferences(Optional<Double> costPriority, Optional<Double> speedPriority,
            Optional<Double> intelligencePriority, Optional<List<Hint>> hints) {
    }

    /**
     * An answer and how it was reached.
     *
     * @param reply the model's answer
     * @param conversationId the conversation it was recorded in, or null
     * @param tier the tier that answered, or null when a model was named
     * @param model the model that answered
     * @param reason why this tier and model
     * @param costUsd what the request cost
     * @param verified whether a reviewer accepted it (null when not reviewed)
     */
    public record ChatReply(String reply, String conversationId, String tier, String model, String reason,
            double costUsd, Boolean verified) {
    }

    /**
     * A routing decision.
     *
     * @param tier the tier chosen, or null when a model was named
     * @param models the models it would try, in order
     * @param policy what decided
     * @param reason why
     * @param neighbours for a learned decision, the nearest labelled examples
     */
    public record RouteReply(String tier, List<String> models, String policy, String reason, List<String> neighbours) {
    }

    private final RouterService service;
    private final ObjectMapper mapper = new ObjectMapper();
    /** Where answered decisions are kept for {@code GET /v1/router/decisions}; null outside a framework. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile RecentDecisions recent;

    /**
     * Serves the bundle's router. The component is disabled in its description: the router service
     * enables it while {@code router.json} configures a router.
     */
    @Activate
    public RouterTools(@Reference RouterService service) {
        this.service = service;
    }

    @Tool(title = "Chat through the model router", description = "Sends a message to the cheapest model tier "
            + "likely to answer it well (or to a named tier or model) and returns the answer with the tier, model, "
            + "reason and cost. Give a conversationId to continue a conversation.", openWorld = true,
            destructive = false)
    public ChatReply chat(@Param(description = "The user's message") String message,
            @Param(description = "A conversation to continue and record into") Optional<String> conversationId,
            @Param(description = "A tier, a model, or auto (the default)") Optional<String> model,
            @Param(description = "How much the answer matters") Optional<QualityLevel> qualityLevel,
            @Param(description = "The project the request belongs to, for routing rules") Optional<String> project,
            @Param(description = "MCP model preferences") Optional<Preferences> modelPreferences,
            @Param(description = "The most this request may cost, in USD") Optional<Double> maxCostUsd,
            RequestContext context) {
        ChatCall call = call(context, message, conversationId.orElse(null), model.orElse("auto"), qualityLevel,
                project, modelPreferences, maxCostUsd.orElse(null));
        try {
            ObjectNode answer = answered(call);
            JsonNode why = answer.path("plugboard");
            return new ChatReply(answer.path("choices").path(0).path("message").path("content").asText(""),
                    conversationId.orElse(null), why.path("tier").isTextual() ? why.path("tier").asText() : null,
                    answer.path("model").asText(), why.path("reason").asText(), why.path("cost").asDouble(),
                    why.has("verified") ? why.path("verified").asBoolean() : null);
        } catch (RouterException e) {
            throw new ToolException(e.getMessage());
        }
    }

    @Tool(title = "Route a message", description = "Says which tier and models the router would use for a "
            + "message, and why, without calling a model.", readOnly = true, idempotent = true, openWorld = false)
    public RouteReply route(@Param(description = "The user's message") String message,
            @Param(description = "A tier, a model, or auto (the default)") Optional<String> model,
            @Param(description = "How much the answer matters") Optional<QualityLevel> qualityLevel,
            @Param(description = "The project the request belongs to, for routing rules") Optional<String> project,
            @Param(description = "MCP model preferences") Optional<Preferences> modelPreferences,
            RequestContext context) {
        ChatCall call = call(context, message, null, model.orElse("auto"), qualityLevel, project, modelPreferences, null);
        try {
            RouteDecision d = service.router().route(Router.routeRequest(call));
            return new RouteReply(d.tier(), d.models(), d.policy(), d.reason(), d.neighbours());
        } catch (RouterException e) {
            throw new ToolException(e.getMessage());
        }
    }

    @Tool(title = "Ask a model", description = "Answers one direct question through the model router "
            + "(no conversation kept) and returns the answer's text.", openWorld = true, destructive = false)
    public String ask(@Param(description = "The question") String question,
            @Param(description = "How much the answer matters") Optional<QualityLevel> qualityLevel,
            RequestContext context) {
        ChatCall call = call(context, question, null, "auto", qualityLevel, Optional.empty(), Optional.empty(), null);
        try {
            return answered(call).path("choices").path(0).path("message").path("content").asText("");
        } catch (RouterException e) {
            throw new ToolException(e.getMessage());
        }
    }

    /** A whole answer, its decision kept with those of the HTTP doors. */
    private ObjectNode answered(ChatCall call) throws RouterException {
        ObjectNode answer = service.router().complete(call);
        RecentDecisions r = recent;
        if (r != null) {
            r.remember(call.caller(), answer.path("plugboard"));
        }
        return answer;
    }

    private ModelPreferences preferences(Preferences p) {
        ObjectNode node = mapper.createObjectNode();
        p.costPriority().ifPresent(v -> node.put("costPriority", v));
        p.speedPriority().ifPresent(v -> node.put("speedPriority", v));
        p.intelligencePriority().ifPresent(v -> node.put("intelligencePriority", v));
        p.hints().ifPresent(hints -> hints.forEach(h -> node.withArray("hints").addObject().put("name", h.name())));
        return ModelPreferences.of(node);
    }

    private ChatCall call(RequestContext context, String message, String conversationId, String model,
            Optional<QualityLevel> quality, Optional<String> project, Optional<Preferences> preferences, Double maxCost) {
        if (message == null || message.isBlank()) {
            throw new ToolException("the message must not be empty");
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", message);
        ModelPreferences prefs;
        try {
            prefs = preferences.map(this::preferences).orElse(ModelPreferences.NONE);
        } catch (IllegalArgumentException e) {
            throw new ToolException(e.getMessage());
        }
        return new ChatCall(context.caller().principal(), body,
                quality.map(q -> q.name().toLowerCase(Locale.ROOT)).orElse(null), project.orElse(null), prefs,
                conversationId, maxCost, context.supports(ClientCapability.SAMPLING) ? new Sampling(context, mapper) : null);
    }
}
