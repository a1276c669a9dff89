package dev.plugboard.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.console.api.HostApi;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Router: the model router's tiers and models ({@code GET /v1/models}), spend and cache hit rate since start
 * ({@code /metrics}), and the recent routing decisions with their reasons ({@code GET /v1/router/decisions}:
 * an admin sees everyone's, others their own). Says so when the router bundle is absent or not configured.
 */
@Path(Console.ROOT + "/router")
public final class RouterPages {

    private final Console console;

    public RouterPages(Console console) {
        this.console = console;
    }

    /** The page. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(Console.COOKIE) String cookie, @Context HttpHeaders headers,
            @Context ContainerRequestContext uri) {
        return console.page(cookie, headers, session -> {
            URI base = Console.base(uri);
            HostApi api = console.api();
            HostApi.Answer models = api.get(base, session.credential(), "/v1/models");
            Map<String, Object> params = new HashMap<>();
            params.put("chrome", console.chrome("Router", "router", session));
            String state;
            String why = "";
            if (models.ok()) {
                state = "serving";
            } else if (models.status() == 404) {
                state = "absent";
            } else {
                state = "off";
                why = models.body().path("error").path("message").asText(models.problem());
            }
            List<TierView> tiers = new ArrayList<>();
            List<ModelView> modelList = new ArrayList<>();
            for (JsonNode m : models.body().path("data")) {
                if ("tier".equals(m.path("kind").asText())) {
                    List<String> names = new ArrayList<>();
                    m.path("models").forEach(n -> names.add(n.asText()));
                    tiers.add(new TierView(m.path("id").asText(""), String.join(", ", names)));
                } else if ("model".equals(m.path("kind").asText())) {
                    modelList.add(new ModelView(m.path("id").asText(""), m.path("provider").asText(""),
                            m.path("pricing").path("inputPerMillion").asDouble(),
                            m.path("pricing").path("outputPerMillion").asDouble()));
                }
            }
            List<DecisionView> decisions = new ArrayList<>();
            if ("serving".equals(state)) {
                HostApi.Answer recent = api.get(base, session.credential(), "/v1/router/decisions");
                recent.body().path("decisions").forEach(d -> decisions.add(DecisionView.of(d)));
            }
            params.put("state", state);
            params.put("why", why);
            params.put("tiers", tiers);
            params.put("models", modelList);
            params.put("figures", RouterFigures.parse("absent".equals(state) ? null
                    : api.text(base, session.credential(), "/metrics")));
            params.put("decisions", decisions);
            params.put("admin", session.rights().admin());
            return console.html(200, "router.jte", params);
        });
    }

    /**
     * A tier.
     *
     * @param name its name
     * @param models its models in order, comma-separated
     */
    public record TierView(String name, String models) {
    }

    /**
     * A model.
     *
     * @param alias its alias
     * @param provider its provider
     * @param inputPerMillion USD per million input tokens
     * @param outputPerMillion USD per million output tokens
     */
    public record ModelView(String alias, String provider, double inputPerMillion, double outputPerMillion) {
    }

    /**
     * One routing decision.
     *
     * @param at when
     * @param caller who asked (shown to admins only; empty otherwise)
     * @param tier the tier that answered
     * @param model the model that answered
     * @param policy what decided
     * @param reason why
     * @param cost the cost in USD, as text
     * @param cache the cache's verdict
     */
    public record DecisionView(String at, String caller, String tier, String model, String policy, String reason,
            String cost, String cache) {

        static DecisionView of(JsonNode d) {
            String tier = d.path("tier").asText("");
            String from = d.path("escalatedFrom").asText("");
            return new DecisionView(d.path("at").asText(""), d.path("caller").asText(""),
                    from.isEmpty() ? tier : tier + " (escalated from " + from + ")", d.path("model").asText(""),
                    d.path("policy").asText(""), d.path("reason").asText(""),
                    String.format("$%.6f", d.path("cost").asDouble()), d.path("cache").asText(""));
        }
    }
}
