package dev.plugboard.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.router.budget.BudgetExceededException;
import dev.plugboard.router.budget.Budgets;
import dev.plugboard.router.cache.ExactCache;
import dev.plugboard.router.cascade.HandoffPackage;
import dev.plugboard.router.cascade.Reviewer;
import dev.plugboard.router.cascade.Verdict;
import dev.plugboard.router.config.RouterConfig;
import dev.plugboard.router.conversation.Conversations;
import dev.plugboard.router.learned.Embedder;
import dev.plugboard.router.learned.SemanticMatch;
import dev.plugboard.router.metrics.RouterMeters;
import dev.plugboard.router.provider.ChatStream;
import dev.plugboard.router.provider.Completion;
import dev.plugboard.router.provider.ProviderClient;
import dev.plugboard.router.provider.ProviderException;
import dev.plugboard.router.provider.Usage;
import dev.plugboard.router.routing.LearnedRoute;
import dev.plugboard.router.routing.RouteDecision;
import dev.plugboard.router.routing.RoutePolicy;
import dev.plugboard.router.routing.RouteRequest;
import dev.plugboard.router.tokens.TokenCounter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Answers chat requests for one configuration: decides the route, tries the tier's models in order
 * (each behind its breaker and retries), escalates to the next tier when a tier fails or its answer
 * is rejected by the reviewer, within the caller's budgets and the request's cost ceiling; serves
 * and fills the exact cache; continues and records conversations. Every answer carries a
 * {@code plugboard} object saying which tier and model answered, why, and at what cost.
 * Thread-safe.
 */
public final class Router {

    private static final Logger LOG = Logger.getLogger(Router.class.getName());
    private static final int DEFAULT_MAX_TOKENS = 512;

    private final RouterConfig config;
    private final ProviderClient client;
    private final ObjectMapper mapper;
    private final ExactCache cache;
    private final Budgets budgets;
    private final Conversations conversations;
    private final RouterMeters meters;
    private final RoutePolicy policy;
    private final ExecutorService background;
    private final Supplier<Optional<Embedder>> embedder;
    private final SemanticMatch semantic;

    /**
     * @param config the configuration this router serves
     * @param client calls the providers
     * @param cache the exact cache (used when the configuration enables it)
     * @param budgets spending limits, already configured
     * @param conversations where conversations are kept, or null when their store could not be opened
     * @param meters the router's meters
     * @param learned the learned router, when one is plugged in
     * @param background runs conversation compression after an answer
     * @param embedder the host's embeddings, when available, for the semantic cache
     */
    public Router(RouterConfig config, ProviderClient client, ObjectMapper mapper, ExactCache cache, Budgets budgets,
            Conversations conversations, RouterMeters meters, Supplier<Optional<LearnedRoute>> learned,
            ExecutorService background, Supplier<Optional<Embedder>> embedder) {
        this.config = config;
        this.client = client;
        this.mapper = mapper;
        this.cache = cache;
        this.budgets = budgets;
        this.conversations = conversations;
        this.meters = meters;
        this.policy = new RoutePolicy(config, learned);
        this.background = background;
        this.embedder = embedder;
        this.semantic = new SemanticMatch(config.cache().semantic().threshold());
    }

    /** The configuration served. */
    public RouterConfig config() {
        return config;
    }

    /**
     * The decision alone, without calling a model.
     *
     * @throws RouterException 404 for an unknown model name
     */
    public RouteDecision route(RouteRequest request) throws RouterException {
        try {
            return policy.decide(request);
        } catch (IllegalArgumentException e) {
            throw new RouterException(404, "invalid_request_error", "model_not_found", 0, e.getMessage());
        }
    }

    /** The route request of a call. */
    public static RouteRequest routeRequest(ChatCall call) {
        return new RouteRequest(call.requested(), call.caller(), call.qualityLevel(), call.project(),
                call.preferences(), lastUserText(call.body()));
    }

    /**
     * A whole answer.
     *
     * @return the {@code chat.completion} object with a {@code plugboard} explanation
     * @throws RouterException when it cannot be answered, typed for the door
     */
    public ObjectNode complete(ChatCall call) throws RouterException {
        Prepared p = prepare(call);
        Optional<ObjectNode> hit = cached(p);
        if (hit.isPresent()) {
            return hit.get();
        }
        try {
            return finish(p, cascade(p, null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // nothing is written without a sink
        }
    }

    /**
     * A streamed answer. Failures before the first chunk throw (the door answers them with a status);
     * a failure after it ends the stream with an error event.
     *
     * @throws RouterException when it cannot be started
     * @throws IOException when the client went away
     */
    public void stream(ChatCall call, ChunkSink sink) throws RouterException, IOException {
        Prepared p = prepare(call);
        Optional<ObjectNode> hit = cached(p);
        if (hit.isPresent()) {
            replay(hit.get(), sink);
            return;
        }
        boolean reviewed = config.review().isPresent() && p.decision.tier() != null
                && config.tiers().get(p.decision.tier()).reviewed();
        if (reviewed) {
            // a reviewed answer is checked whole before any of it is sent
            replay(finish(p, cascade(p, null)), sink);
            return;
        }
        Outcome o = cascade(p, sink);
        if (o.streamed) {
            return;
        }
        replay(finish(p, o), sink);
    }

    /** What a request turns into before any model is called. */
    private final class Prepared {
        final ChatCall call;
        final RouteDecision decision;
        final ObjectNode body;
        final List<ObjectNode> newTurns;
        final String summary;
        final String cacheKey;
        /** What the client asked for, part of both cache keys. */
        final String cacheScope;
        /** The question kept with the answer for the semantic cache, or null. */
        ExactCache.Question question;
        final ObjectNode explain = mapper.createObjectNode();
        final ArrayNode attempts;
        Budgets.Reservation reservation;
        double spent;
        Usage usage = Usage.NONE;

        Prepared(ChatCall call, RouteDecision decision, ObjectNode body, List<ObjectNode> newTurns, String summary) {
            this.call = call;
            this.decision = decision;
            this.body = body;
            this.newTurns = newTurns;
            this.summary = summary;
            this.cacheScope = call.requested() + "|" + call.qualityLevel() + "|" + call.project() + "|" + call.preferences();
            this.cacheKey = config.cache().enabled() ? ExactCache.key(mapper, call.caller(), cacheScope, body) : null;
            explain.put("requested", call.requested());
            explain.put("policy", decision.policy());
            explain.put("reason", decision.reason());
            if (!decision.neighbours().isEmpty()) {
                decision.neighbours().forEach(explain.putArray("neighbours")::add);
            }
            if (call.conversationId() != null) {
                explain.put("conversationId", call.conversationId());
            }
            attempts = explain.putArray("attempts");
        }

        double ceiling() {
            return call.maxCost() != null ? call.maxCost() : config.maxCostPerRequest();
        }
    }

    /** How a cascade ended. */
    private record Outcome(Completion completion, String tier, String model, boolean streamed, Boolean verified) {
    }

    private Prepared prepare(ChatCall call) throws RouterException {
        JsonNode messages = call.body().path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw RouterException.invalid("\"messages\" must be a non-empty array of chat messages");
        }
        for (JsonNode m : messages) {
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw RouterException.invalid("each message needs a \"role\" string and its \"content\"");
            }
        }
        if (call.qualityLevel() != null && !List.of("normal", "high", "critical").contains(call.qualityLevel())) {
            throw RouterException.invalid("qualityLevel must be normal, high or critical");
        }
        RouteDecision decision = route(routeRequest(call));
        // a copy of the top level only: nothing below it is changed on the way to the provider
        ObjectNode body = mapper.createObjectNode();
        body.setAll(call.body());
        body.remove("plugboard");
        List<ObjectNode> newTurns = new ArrayList<>();
        messages.forEach(m -> newTurns.add((ObjectNode) m));
        String summary = "";
        if (call.conversationId() != null) {
            if (conversations == null) {
                throw new RouterException(503, "api_error", "conversations_unavailable", 0,
                        "conversations are not available on this node (see /health/ready); send the request without one");
            }
            Conversations.Conversation c = conversations.load(call.caller(), call.conversationId());
            summary = c.summary();
            ArrayNode all = mapper.createArrayNode();
            List<ObjectNode> system = new ArrayList<>();
            List<ObjectNode> rest = new ArrayList<>();
            for (ObjectNode m : newTurns) {
                (m.path("role").asText().equals("system") ? system : rest).add(m);
            }
            system.forEach(all::add);
            if (!summary.isEmpty()) {
                all.addObject().put("role", "system").put("content", "Summary of the conversation so far: " + summary);
            }
            c.messages().forEach(all::add);
            rest.forEach(all::add);
            body.set("messages", all);
            newTurns.clear();
            newTurns.addAll(rest);
        }
        return new Prepared(call, decision, body, newTurns, summary);
    }

    private Optional<ObjectNode> cached(Prepared p) {
        if (p.cacheKey == null) {
            p.explain.put("cache", "off");
            return Optional.empty();
        }
        Optional<ExactCache.Entry> e = cache.get(p.cacheKey);
        if (e.isEmpty()) {
            p.explain.put("cache", "miss");
            return similar(p);
        }
        meters.cacheHit("exact");
        ObjectNode answer = e.get().completion().deepCopy();
        ObjectNode explain = p.explain;
        explain.put("cache", "hit");
        explain.put("tier", e.get().tier());
        explain.put("model", e.get().model());
        explain.put("reason", "an identical earlier request from the same caller was answered by model "
                + e.get().model() + "; " + explain.path("reason").asText());
        explain.put("cost", 0.0);
        answer.set("plugboard", explain);
        record(p, answer);
        return Optional.of(answer);
    }

    /** The semantic cache, after an exact miss: a kept answer to the same question in the same context. */
    private Optional<ObjectNode> similar(Prepared p) {
        if (!config.cache().semantic().enabled()) {
            return Optional.empty();
        }
        Optional<Embedder> e = embedder.get();
        String context = ExactCache.contextKey(mapper, p.call.caller(), p.cacheScope, p.body);
        String prompt = lastUserText(p.body);
        if (e.isEmpty() || context == null || prompt.isBlank()) {
            p.explain.put("semantic", e.isEmpty() ? "unavailable: the host has no embedding service"
                    : "not matched: the last user message is not plain text");
            return Optional.empty();
        }
        try {
            p.question = new ExactCache.Question(context, prompt, e.get().embed(prompt));
        } catch (RuntimeException failed) {
            LOG.warning(() -> "The semantic cache cannot embed a prompt: " + failed.getMessage());
            p.explain.put("semantic", "unavailable: the prompt could not be embedded");
            return Optional.empty();
        }
        Optional<ExactCache.Similar> found = cache.similar(p.question, semantic);
        if (found.isEmpty()) {
            p.explain.put("semantic", "miss");
            return Optional.empty();
        }
        SemanticMatch.Decision d = found.get().decision();
        if (!d.same()) {
            p.explain.put("semantic", String.format(Locale.ROOT, "miss: the closest kept question (similarity %.3f) %s",
                    d.similarity(), switch (d.reason()) {
                        case NOT_SIMILAR -> "is below the threshold " + semantic.minSimilarity();
                        case NUMBERS_DIFFER -> "has other numbers";
                        case ENTITIES_DIFFER -> "names other things";
                        case NEGATION_DIFFERS -> "differs in negation";
                        case CHOICES_DIFFER -> "offers other choices";
                        case SAME -> "matches";
                    }));
            return Optional.empty();
        }
        p.question = null; // already kept
        meters.cacheHit("semantic");
        ExactCache.Entry hit = found.get().entry();
        ObjectNode answer = hit.completion().deepCopy();
        ObjectNode explain = p.explain;
        explain.put("cache", "semantic");
        explain.remove("semantic");
        explain.put("similarity", Math.round(d.similarity() * 1000) / 1000.0);
        explain.put("tier", hit.tier());
        explain.put("model", hit.model());
        explain.put("reason", String.format(Locale.ROOT, "an earlier request from the same caller, identical but for "
                + "a rewording of the last message (similarity %.3f), was answered by model %s; %s",
                d.similarity(), hit.model(), explain.path("reason").asText()));
        explain.put("cost", 0.0);
        answer.set("plugboard", explain);
        record(p, answer);
        return Optional.of(answer);
    }

    private Outcome cascade(Prepared p, ChunkSink sink) throws RouterException, IOException {
        String tier = p.decision.tier();
        List<String> models = p.decision.models();
        List<HandoffPackage.Attempt> rejected = new ArrayList<>();
        ProviderException last = null;
        String stopped = null;
        ObjectNode body = p.body;
        Outcome unverified = null;
        boolean escalatedAfterReview = false;
        while (true) {
            for (String alias : models) {
                if (alias.equals(ClientModel.ALIAS)) {
                    Optional<Completion> sampled = sample(p, tier, body);
                    if (sampled.isPresent()) {
                        return new Outcome(sampled.get(), tier, alias, false, null);
                    }
                    continue;
                }
                RouterConfig.Model model = config.models().get(alias);
                RouterConfig.Provider provider = config.providers().get(model.provider());
                // counting the prompt's tokens is the costliest step of a pass-through: only for a ceiling or a budget
                boolean budgeted = budgets.appliesTo(p.call.caller());
                double estimate = p.ceiling() > 0 || budgeted ? estimate(body, model) : 0;
                if (p.ceiling() > 0 && p.spent + estimate > p.ceiling()) {
                    stopped = String.format(Locale.ROOT, "the cost ceiling of %.6f USD would be passed by model %s "
                            + "(about %.6f USD more)", p.ceiling(), alias, estimate);
                    attempt(p, tier, alias, "skipped", stopped);
                    continue;
                }
                try {
                    if (p.reservation == null) {
                        if (budgeted) {
                            p.reservation = budgets.reserve(p.call.caller(), estimate);
                        }
                    } else {
                        p.reservation.extend(p.call.caller(), estimate);
                    }
                } catch (BudgetExceededException e) {
                    meters.budgetRefusal(e.budget());
                    settle(p);
                    if (e.storeUnavailable()) {
                        throw new RouterException(503, "api_error", "budget_store_unavailable", e.retryAfterSeconds(),
                                e.getMessage());
                    }
                    throw new RouterException(429, "insufficient_quota", "budget_exceeded", e.retryAfterSeconds(),
                            e.getMessage());
                }
                long started = System.nanoTime();
                try {
                    if (sink != null) {
                        ChatStream stream = client.stream(provider, model, body);
                        meters.firstToken(tier, alias, stream.firstTokenNanos());
                        forward(p, stream, sink, tier, model, started);
                        return new Outcome(null, tier, alias, true, null);
                    }
                    Completion c = client.complete(provider, model, body);
                    meters.firstToken(tier, alias, c.firstTokenNanos());
                    meters.call(tier, alias, "ok", System.nanoTime() - started);
                    charge(p, tier, model, c.usage(), c.usage().reported() ? null : estimateOut(c.text(), model));
                    attempt(p, tier, alias, "answered", null);
                    Optional<Verdict> verdict = review(p, tier, c);
                    if (verdict.isEmpty() || verdict.get().accept()) {
                        return new Outcome(c, tier, alias, false, verdict.isEmpty() ? null : true);
                    }
                    rejected.add(new HandoffPackage.Attempt(tier, alias, shorten(c.text(), 600), verdict.get().issues()));
                    unverified = new Outcome(c, tier, alias, false, false);
                    Optional<String> next = p.decision.escalate() ? config.nextTier(tier) : Optional.empty();
                    if (next.isEmpty()) {
                        return unverified;
                    }
                    HandoffPackage handoff = new HandoffPackage(p.summary, lastUserText(p.body), rejected,
                            verdict.get().issues(), verdict.get().openQuestions(),
                            "Give a correct and complete answer to the current task.");
                    p.explain.set("handoff", handoff.toJson(mapper));
                    body = withHandoff(p.body, handoff);
                    meters.escalation(tier, next.get(), "rejected");
                    tier = next.get();
                    models = config.tiers().get(tier).models();
                    last = null;
                    escalatedAfterReview = true;
                    break;
                } catch (ProviderException e) {
                    meters.call(tier, alias, e.kind().name().toLowerCase(Locale.ROOT), System.nanoTime() - started);
                    attempt(p, tier, alias, "failed", e.getMessage());
                    last = e;
                }
            }
            if (escalatedAfterReview) {
                escalatedAfterReview = false;
                continue;
            }
            Optional<String> next = p.decision.escalate() && tier != null ? config.nextTier(tier) : Optional.empty();
            if (next.isEmpty()) {
                if (unverified != null) {
                    if (stopped != null) {
                        p.explain.put("stopped", stopped);
                    }
                    return unverified;
                }
                settle(p);
                if (stopped != null) {
                    throw new RouterException(429, "insufficient_quota", "cost_ceiling", 0,
                            "no model could answer within the request's cost ceiling: " + stopped);
                }
                throw failure(p, last);
            }
            meters.escalation(tier, next.get(), "failed");
            tier = next.get();
            models = config.tiers().get(tier).models();
            last = null;
        }
    }

    /** Asks the calling client's model, when the request came from an MCP client that samples. */
    private Optional<Completion> sample(Prepared p, String tier, ObjectNode body) {
        if (p.call.clientModel() == null) {
            attempt(p, tier, ClientModel.ALIAS, "skipped", "the request did not come from an MCP client that samples");
            return Optional.empty();
        }
        long started = System.nanoTime();
        try {
            Completion c = p.call.clientModel().complete(body);
            meters.call(tier, ClientModel.ALIAS, "ok", System.nanoTime() - started);
            attempt(p, tier, ClientModel.ALIAS, "answered", null);
            p.usage = p.usage.plus(c.usage());
            return Optional.of(c);
        } catch (ProviderException e) {
            meters.call(tier, ClientModel.ALIAS, "failed", System.nanoTime() - started);
            attempt(p, tier, ClientModel.ALIAS, "failed", e.getMessage());
            return Optional.empty();
        }
    }

    private RouterException failure(Prepared p, ProviderException last) {
        StringBuilder why = new StringBuilder("no model could answer: ");
        List<String> parts = new ArrayList<>();
        p.attempts.forEach(a -> parts.add(a.path("model").asText() + " (" + a.path("error").asText(a.path("outcome").asText()) + ")"));
        why.append(String.join("; ", parts));
        if (last != null && last.kind() == ProviderException.Kind.REJECTED) {
            return new RouterException(400, "invalid_request_error", last.code().orElse("rejected_by_model"), 0,
                    last.getMessage());
        }
        long retry = last != null && last.kind() == ProviderException.Kind.RATE_LIMITED
                ? last.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(1L) : 0;
        return new RouterException(retry > 0 ? 429 : 502, retry > 0 ? "rate_limit_error" : "api_error",
                retry > 0 ? "rate_limited" : "upstream_failed", retry, why.toString());
    }

    private void attempt(Prepared p, String tier, String model, String outcome, String error) {
        ObjectNode a = p.attempts.addObject();
        if (tier != null) {
            a.put("tier", tier);
        }
        a.put("model", model);
        a.put("outcome", outcome);
        if (error != null) {
            a.put("error", error);
        }
    }

    private Optional<Verdict> review(Prepared p, String tier, Completion answer) {
        if (config.review().isEmpty() || tier == null || !config.tiers().get(tier).reviewed()) {
            return Optional.empty();
        }
        RouterConfig.Review settings = config.review().get();
        RouterConfig.Model reviewer = config.models().get(settings.model());
        RouterConfig.Provider provider = config.providers().get(reviewer.provider());
        ObjectNode request = Reviewer.request(mapper, reviewer, lastUserText(p.body), answer.text(), settings.maxTokens());
        ObjectNode review = p.explain.putObject("review");
        review.put("model", reviewer.alias());
        long started = System.nanoTime();
        try {
            if (p.reservation != null) {
                p.reservation.extend(p.call.caller(), estimate(request, reviewer));
            }
            Completion c = client.complete(provider, reviewer, request);
            meters.call("review", reviewer.alias(), "ok", System.nanoTime() - started);
            charge(p, "review", reviewer, c.usage(), c.usage().reported() ? null : estimateOut(c.text(), reviewer));
            Verdict v = Verdict.parse(c.text(), mapper);
            review.set("verdict", v.toJson(mapper));
            return Optional.of(v);
        } catch (ProviderException e) {
            review.put("error", e.getMessage());
        } catch (BudgetExceededException e) {
            review.put("error", "not reviewed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            review.put("error", "the reviewer's verdict was not usable: " + e.getMessage());
        }
        review.put("verified", false);
        return Optional.empty();
    }

    private ObjectNode withHandoff(ObjectNode body, HandoffPackage handoff) {
        ObjectNode out = body.deepCopy();
        ArrayNode messages = mapper.createArrayNode();
        messages.addObject().put("role", "system").put("content", handoff.asSystemMessage(mapper));
        body.path("messages").forEach(messages::add);
        out.set("messages", messages);
        return out;
    }

    /** Adds a call's cost, from its usage, or from an estimate of its output when no usage came. */
    private void charge(Prepared p, String tier, RouterConfig.Model model, Usage usage, Long estimatedOut) {
        Usage u = usage;
        if (!usage.reported()) {
            u = new Usage(TokenCounter.promptTokens(p.body, model.upstreamName()), estimatedOut == null ? 0 : estimatedOut, 0, false);
            p.explain.put("usageEstimated", true);
        }
        double cost = model.cost(u.promptTokens(), u.completionTokens());
        p.spent += cost;
        p.usage = p.usage.plus(u);
        meters.usage(tier, model.alias(), u.promptTokens(), u.completionTokens(), cost);
    }

    private void settle(Prepared p) {
        if (p.reservation != null) {
            p.reservation.settle(p.spent);
        }
    }

    private ObjectNode finish(Prepared p, Outcome o) {
        settle(p);
        ObjectNode answer = o.completion().body(); // read for this request alone: changed in place
        answer.put("model", o.model());
        ObjectNode usage = answer.putObject("usage");
        usage.put("prompt_tokens", p.usage.promptTokens());
        usage.put("completion_tokens", p.usage.completionTokens());
        usage.put("total_tokens", p.usage.promptTokens() + p.usage.completionTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", p.usage.cachedTokens());
        usage.put("cost", p.spent);
        explainAnswer(p, o.tier(), o.model(), o.verified());
        answer.set("plugboard", p.explain);
        if (p.cacheKey != null && !Boolean.FALSE.equals(o.verified()) && o.completion().finishReason() != null) {
            ObjectNode kept = answer.deepCopy();
            kept.remove("plugboard");
            cache.put(p.cacheKey, new ExactCache.Entry(kept, o.tier(), o.model()), p.question);
        }
        record(p, answer);
        return answer;
    }

    private void explainAnswer(Prepared p, String tier, String model, Boolean verified) {
        if (tier != null) {
            p.explain.put("tier", tier);
        }
        p.explain.put("model", model);
        p.explain.put("cost", p.spent);
        if (verified != null) {
            p.explain.put("verified", verified);
        }
        if (tier != null && p.decision.tier() != null && !tier.equals(p.decision.tier())) {
            p.explain.put("escalatedFrom", p.decision.tier());
        }
    }

    /** Records the new turns and the answer in the conversation, and compresses it when it grew too long. */
    private void record(Prepared p, ObjectNode answer) {
        if (p.call.conversationId() == null) {
            return;
        }
        List<ObjectNode> turns = new ArrayList<>(p.newTurns);
        ObjectNode reply = mapper.createObjectNode();
        reply.put("role", "assistant");
        reply.put("content", answer.path("choices").path(0).path("message").path("content").asText(""));
        turns.add(reply);
        Conversations.Conversation c = conversations.append(p.call.caller(), p.call.conversationId(), turns);
        if (c.messages().size() > config.conversations().maxMessages()) {
            String owner = p.call.caller();
            String id = p.call.conversationId();
            background.execute(() -> compress(owner, id));
        }
    }

    private void compress(String owner, String id) {
        Conversations.Conversation c = conversations.load(owner, id);
        int replaced = c.messages().size() - config.conversations().keepRecent();
        if (c.messages().size() <= config.conversations().maxMessages() || replaced <= 0) {
            return;
        }
        StringBuilder text = new StringBuilder();
        if (!c.summary().isEmpty()) {
            text.append("Earlier summary: ").append(c.summary()).append("\n\n");
        }
        c.messages().subList(0, replaced).forEach(m -> text.append(m.path("role").asText()).append(": ")
                .append(m.path("content").asText()).append('\n'));
        ObjectNode body = mapper.createObjectNode();
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "Summarise this conversation in a few sentences, "
                + "keeping names, numbers, decisions and open questions.");
        messages.addObject().put("role", "user").put("content", text.toString());
        body.put("temperature", 0);
        for (String alias : config.tiers().get(config.conversations().summaryTier()).models()) {
            RouterConfig.Model model = config.models().get(alias);
            try {
                Completion s = client.complete(config.providers().get(model.provider()), model, body);
                meters.usage(config.conversations().summaryTier(), alias, s.usage().promptTokens(),
                        s.usage().completionTokens(), model.cost(s.usage().promptTokens(), s.usage().completionTokens()));
                if (!s.text().isBlank()) {
                    conversations.compress(owner, id, s.text().strip(), replaced);
                    return;
                }
            } catch (ProviderException e) {
                LOG.info(() -> "Conversation " + id + " not compressed by " + alias + ": " + e.getMessage());
            }
        }
    }

    /** Passes a started stream on, chunk by chunk, and ends it as complete or as failed. */
    private void forward(Prepared p, ChatStream stream, ChunkSink sink, String tier, RouterConfig.Model model,
            long started) throws IOException {
        StringBuilder text = new StringBuilder();
        String finish = null;
        Usage usage = Usage.NONE;
        ObjectNode template = null;
        try (stream) {
            for (ObjectNode chunk = stream.next(); chunk != null; chunk = stream.next()) {
                chunk.put("model", model.alias());
                if (template == null) {
                    template = chunk.deepCopy();
                }
                JsonNode choice = chunk.path("choices").path(0);
                text.append(choice.path("delta").path("content").asText(""));
                if (choice.path("finish_reason").isTextual()) {
                    finish = choice.path("finish_reason").asText();
                }
                if (chunk.path("usage").isObject()) {
                    usage = Usage.of(chunk.get("usage"));
                    continue; // sent last, with the explanation
                }
                sink.chunk(chunk);
            }
        } catch (IOException gone) {
            // the client went away: the tokens streamed so far are still paid for
            meters.call(tier, model.alias(), "client_gone", System.nanoTime() - started);
            charge(p, tier, model, Usage.NONE, estimateOut(text, model));
            settle(p);
            throw gone;
        } catch (ProviderException e) {
            meters.call(tier, model.alias(), "cut", System.nanoTime() - started);
            attempt(p, tier, model.alias(), "cut", e.getMessage());
            charge(p, tier, model, Usage.NONE, estimateOut(text, model));
            settle(p);
            ObjectNode error = mapper.createObjectNode();
            ObjectNode inner = error.putObject("error");
            inner.put("message", "the answer was cut off after it had started: " + e.getMessage());
            inner.put("type", "api_error");
            inner.put("code", "stream_cut");
            explainAnswer(p, tier, model.alias(), null);
            error.set("plugboard", p.explain);
            sink.error(error);
            return;
        }
        meters.call(tier, model.alias(), "ok", System.nanoTime() - started);
        charge(p, tier, model, usage, usage.reported() ? null : estimateOut(text, model));
        attempt(p, tier, model.alias(), "answered", null);
        settle(p);
        explainAnswer(p, tier, model.alias(), null);
        ObjectNode last = template == null ? mapper.createObjectNode() : template;
        last.put("object", "chat.completion.chunk");
        last.put("model", model.alias());
        last.putArray("choices");
        last.set("usage", usageJson(p));
        last.set("plugboard", p.explain);
        sink.chunk(last);
        sink.done();
        ObjectNode completion = completionOf(last, text.toString(), finish);
        if (p.cacheKey != null && finish != null) {
            ObjectNode kept = completion.deepCopy();
            kept.remove("plugboard");
            cache.put(p.cacheKey, new ExactCache.Entry(kept, tier, model.alias()), p.question);
        }
        record(p, completion);
    }

    private ObjectNode usageJson(Prepared p) {
        ObjectNode usage = mapper.createObjectNode();
        usage.put("prompt_tokens", p.usage.promptTokens());
        usage.put("completion_tokens", p.usage.completionTokens());
        usage.put("total_tokens", p.usage.promptTokens() + p.usage.completionTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", p.usage.cachedTokens());
        usage.put("cost", p.spent);
        return usage;
    }

    private ObjectNode completionOf(ObjectNode chunk, String text, String finish) {
        ObjectNode c = mapper.createObjectNode();
        c.put("id", chunk.path("id").asText("chatcmpl-plugboard"));
        c.put("object", "chat.completion");
        c.put("created", chunk.path("created").asLong(System.currentTimeMillis() / 1000));
        c.put("model", chunk.path("model").asText());
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        c.set("usage", chunk.get("usage"));
        return c;
    }

    /** Sends a whole answer as a stream: role, content, finish reason, usage with the explanation. */
    private void replay(ObjectNode answer, ChunkSink sink) throws IOException {
        JsonNode choice = answer.path("choices").path(0);
        ObjectNode head = mapper.createObjectNode();
        head.put("id", answer.path("id").asText("chatcmpl-plugboard"));
        head.put("object", "chat.completion.chunk");
        head.put("created", answer.path("created").asLong(System.currentTimeMillis() / 1000));
        head.put("model", answer.path("model").asText());
        ObjectNode role = head.deepCopy();
        ObjectNode c0 = role.putArray("choices").addObject();
        c0.put("index", 0);
        c0.putObject("delta").put("role", "assistant").put("content", "");
        c0.putNull("finish_reason");
        sink.chunk(role);
        ObjectNode content = head.deepCopy();
        ObjectNode c1 = content.putArray("choices").addObject();
        c1.put("index", 0);
        c1.putObject("delta").put("content", choice.path("message").path("content").asText(""));
        c1.putNull("finish_reason");
        sink.chunk(content);
        ObjectNode end = head.deepCopy();
        ObjectNode c2 = end.putArray("choices").addObject();
        c2.put("index", 0);
        c2.putObject("delta");
        c2.put("finish_reason", choice.path("finish_reason").asText("stop"));
        sink.chunk(end);
        ObjectNode usage = head.deepCopy();
        usage.putArray("choices");
        usage.set("usage", answer.get("usage"));
        usage.set("plugboard", answer.get("plugboard"));
        sink.chunk(usage);
        sink.done();
    }

    /** The prompt's estimated cost on a model: its tokens counted with the model's tokenizer, plus the most it may write. */
    private static double estimate(ObjectNode body, RouterConfig.Model model) {
        long out = body.path("max_tokens").asLong(body.path("max_completion_tokens").asLong(DEFAULT_MAX_TOKENS));
        return model.cost(TokenCounter.promptTokens(body, model.upstreamName()), out);
    }

    private static long estimateOut(CharSequence text, RouterConfig.Model model) {
        return TokenCounter.textTokens(text, model.upstreamName());
    }

    /** The text of the last user message, or "". */
    public static String lastUserText(JsonNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (m.path("role").asText().equals("user")) {
                JsonNode content = m.path("content");
                if (content.isTextual()) {
                    return content.asText();
                }
                StringBuilder out = new StringBuilder();
                content.forEach(part -> out.append(part.path("text").asText("")));
                return out.toString();
            }
        }
        return "";
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
