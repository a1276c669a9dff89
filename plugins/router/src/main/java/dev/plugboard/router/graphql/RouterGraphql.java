package dev.plugboard.router.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.context.Caller;
import dev.plugboard.api.graphql.GraphqlExtension;
import dev.plugboard.api.graphql.GraphqlFailure;
import dev.plugboard.api.graphql.GraphqlField;
import dev.plugboard.api.graphql.GraphqlSchema;
import dev.plugboard.router.ChatCall;
import dev.plugboard.router.Router;
import dev.plugboard.router.RouterException;
import dev.plugboard.router.RouterService;
import dev.plugboard.router.config.RouterConfig;
import dev.plugboard.router.conversation.Conversations;
import dev.plugboard.router.http.ChatRequests;
import dev.plugboard.router.http.RecentDecisions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The router's GraphQL fields, served through the host's GraphQL extension point: {@code router}
 * (state, tiers, models), {@code routerRoute} (the decision alone, as {@code POST /v1/route}),
 * {@code routerSpend} (the caller's budgets), {@code routerConversation} (as
 * {@code GET /v1/context/{id}}), {@code routerDecisions} (as {@code GET /v1/router/decisions}) and the
 * {@code routerChat} mutation (as {@code POST /v1/chat}, its decision kept with the other doors'). They
 * read the same bodies and give the same answers as the {@code /v1} doors, through the same router.
 */
@Component(service = GraphqlExtension.class)
public class RouterGraphql implements GraphqlExtension {

    static final String SDL = """
            extend type Query {
              "The model router: whether it serves, its tiers and its models."
              router: Router!
              "Where the router would send a message and why, without calling a model (as POST /v1/route)."
              routerRoute(message: String!, model: String, qualityLevel: String, project: String,
                modelPreferences: JSON): RouterDecision!
              "What the caller has spent in each budget that applies to it, this period."
              routerSpend: [RouterBudget!]!
              "A conversation of the caller's: its summary and kept messages (as GET /v1/context/{id})."
              routerConversation(id: String!): RouterConversation!
              "The last decisions the doors answered with, newest first (as GET /v1/router/decisions): an admin sees every caller's, anyone else only their own."
              routerDecisions: [RouterDecisionMade!]!
            }

            extend type Mutation {
              "Sends a message through the router (as POST /v1/chat); a new conversation gets an id."
              routerChat(message: String!, conversationId: String, model: String, qualityLevel: String,
                project: String, modelPreferences: JSON, maxCostUsd: Float): RouterChatReply!
            }

            "The model router's state."
            type Router {
              "serving, or off while config/router.json is missing or has no usable tier"
              state: String!
              tiers: [RouterTier!]!
              models: [RouterModel!]!
              "Problems of config/router.json, if any."
              problems: [String!]!
            }

            type RouterTier {
              name: String!
              "Its models, tried in order."
              models: [String!]!
              "Whether a reviewer checks its answers."
              reviewed: Boolean!
            }

            type RouterModel {
              name: String!
              provider: String!
              inputPerMillion: Float!
              outputPerMillion: Float!
              "Its circuit breaker: CLOSED, OPEN or HALF_OPEN."
              breaker: String
            }

            type RouterDecision {
              "The tier chosen, or null when a model was named."
              tier: String
              models: [String!]!
              escalate: Boolean!
              "What decided: model, tier, rule, preferences, learned or default."
              policy: String!
              reason: String!
              "For a learned decision, the nearest labelled examples."
              neighbours: [String!]!
            }

            "A decision an answer was given with."
            type RouterDecisionMade {
              "When the answer was given (ISO 8601)."
              at: String!
              "Who asked; shown to admins only."
              caller: String
              "The tier that answered, or null when a model was named."
              tier: String
              model: String
              policy: String
              reason: String
              "The cost in USD."
              cost: Float!
              "hit, miss, semantic or off"
              cache: String
              "The tier first chosen, when another answered."
              escalatedFrom: String
            }

            type RouterBudget {
              name: String!
              "day, month or total"
              period: String!
              limitUsd: Float!
              spentUsd: Float!
            }

            type RouterConversation {
              conversationId: String!
              summary: String
              "The kept messages, as OpenAI chat messages."
              messages: JSON!
            }

            type RouterChatReply {
              conversationId: String
              reply: String!
              model: String!
              usage: JSON
              "Which tier and model answered, why, the cost and the cache outcome (the plugboard object of /v1)."
              plugboard: JSON
            }
            """;

    private final RouterService service;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectMapper mapper = JSON;
    /** Where answered decisions are kept, with those of the other doors; null outside a framework. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile RecentDecisions recent;

    /** Serves the bundle's router. */
    @Activate
    public RouterGraphql(@Reference RouterService service) {
        this.service = service;
    }

    @Override
    public GraphqlSchema schema() {
        return GraphqlSchema.builder(SDL)
                .fetcher("Query", "router", field -> state())
                .fetcher("Query", "routerRoute", field -> failures(() -> {
                    ChatCall call = ChatRequests.message(mapper, field.caller().principal(), body(field));
                    return ChatRequests.decision(mapper, service.router().route(Router.routeRequest(call)));
                }))
                .fetcher("Query", "routerSpend", field -> failures(() -> spend(field.caller().principal())))
                .fetcher("Query", "routerConversation", field -> failures(() -> {
                    service.router();
                    Conversations conversations = service.conversations().orElseThrow(() -> new RouterException(503,
                            "api_error", "router_not_configured", 0, "the model router is not configured"));
                    String id = (String) field.arguments().get("id");
                    return ChatRequests.context(mapper, id, conversations.load(field.caller().principal(), id));
                }))
                .fetcher("Mutation", "routerChat", field -> failures(() -> {
                    ObjectNode body = body(field);
                    if (!body.hasNonNull("conversationId")) {
                        body.put("conversationId", UUID.randomUUID().toString());
                    }
                    ChatCall call = ChatRequests.message(mapper, field.caller().principal(), body);
                    ObjectNode answer = service.router().complete(call);
                    RecentDecisions r = recent;
                    if (r != null) {
                        r.remember(call.caller(), answer.path("plugboard"));
                    }
                    return ChatRequests.reply(mapper, call, answer);
                }))
                .fetcher("Query", "routerDecisions", field -> decisions(field.caller()))
                .build();
    }

    /** The arguments as the {@code /v1} body of the same request. */
    private ObjectNode body(GraphqlField field) {
        ObjectNode body = mapper.createObjectNode();
        field.arguments().forEach((name, value) -> {
            if (value != null) {
                body.set(name, mapper.valueToTree(value));
            }
        });
        return body;
    }

    private Map<String, Object> state() {
        Map<?, ?> health = (Map<?, ?>) service.health();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", health.get("state"));
        out.put("problems", health.get("problems") == null ? List.of() : health.get("problems"));
        List<Map<String, Object>> tiers = new ArrayList<>();
        List<Map<String, Object>> models = new ArrayList<>();
        try {
            RouterConfig config = service.router().config();
            Map<?, ?> breakers = health.get("breakers") instanceof Map<?, ?> m ? m : Map.of();
            config.tiers().values().forEach(t -> tiers.add(Map.of("name", t.name(), "models", t.models(),
                    "reviewed", t.reviewed())));
            config.models().values().forEach(m -> {
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("name", m.alias());
                model.put("provider", m.provider());
                model.put("inputPerMillion", m.inputPerMillion());
                model.put("outputPerMillion", m.outputPerMillion());
                model.put("breaker", breakers.get(m.alias()));
                models.add(model);
            });
        } catch (RouterException e) {
            // off: no tiers and no models, and the state says so
        }
        out.put("tiers", tiers);
        out.put("models", models);
        return out;
    }

    private List<Map<String, Object>> decisions(Caller caller) {
        RecentDecisions r = recent;
        if (r == null) {
            return List.of();
        }
        boolean admin = caller.roles().contains("admin");
        return r.newestFirst(admin ? null : caller.principal()).stream().map(d -> d.shown(admin)).toList();
    }

    private List<Map<String, Object>> spend(String caller) throws RouterException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RouterConfig.Budget b : service.router().config().budgets()) {
            if (b.appliesTo(caller)) {
                out.add(Map.of("name", b.name(), "period", b.period().name().toLowerCase(Locale.ROOT),
                        "limitUsd", b.limitUsd(), "spentUsd", service.budgets().spent(b.name(), caller)));
            }
        }
        return out;
    }

    /** Work that may fail the way the router fails. */
    private interface RouterWork {
        Object run() throws RouterException;
    }

    /** Runs router work, turning its failures into the GraphQL errors the doors' statuses stand for. */
    private static Object failures(RouterWork work) {
        try {
            Object value = work.run();
            return value instanceof JsonNode node ? JSON.convertValue(node, Object.class) : value;
        } catch (RouterException e) {
            Map<String, Object> extensions = new LinkedHashMap<>();
            extensions.put("routerCode", e.code());
            if (e.retryAfterSeconds() > 0) {
                extensions.put("retryAfterSeconds", e.retryAfterSeconds());
            }
            String code = switch (e.status()) {
                case 400, 413, 422 -> GraphqlFailure.BAD_USER_INPUT;
                case 404 -> GraphqlFailure.NOT_FOUND;
                case 429 -> "budget_exceeded".equals(e.code()) || "cost_ceiling".equals(e.code()) ? "BUDGET_EXCEEDED"
                        : GraphqlFailure.RATE_LIMITED;
                case 503 -> GraphqlFailure.UNAVAILABLE;
                default -> "UPSTREAM_FAILED";
            };
            throw new GraphqlFailure(code, e.getMessage(), extensions);
        }
    }
}
