package dev.plugboard.router.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The router's meters on the host's registry, tagged by tier and model (both bounded by the
 * configuration): requests by outcome, tokens, cost, latency, time to first token, cache hits,
 * escalations and budget refusals. Thread-safe.
 */
public final class RouterMeters {

    private final MeterRegistry registry;
    private final Map<String, PerModel> perModel = new ConcurrentHashMap<>();

    /** @param registry the host's registry (or any other, in tests) */
    public RouterMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    private static String tag(String value) {
        return value == null ? "none" : value;
    }

    /** The meters of one tier and model, registered once (a request records several, on every call). */
    private record PerModel(Timer latency, Timer ttft, Counter tokensIn, Counter tokensOut, Counter cost,
            Map<String, Counter> requests) {
    }

    private PerModel of(String tier, String model) {
        return perModel.computeIfAbsent(tag(tier) + "\u0000" + tag(model), k -> new PerModel(
                Timer.builder("router.latency").description("Model call latency")
                        .tags("tier", tag(tier), "model", tag(model)).register(registry),
                Timer.builder("router.ttft").description("Time to the first token")
                        .tags("tier", tag(tier), "model", tag(model)).register(registry),
                Counter.builder("router.tokens").tags("tier", tag(tier), "model", tag(model), "direction", "in")
                        .register(registry),
                Counter.builder("router.tokens").tags("tier", tag(tier), "model", tag(model), "direction", "out")
                        .register(registry),
                Counter.builder("router.cost").description("Cost in USD from the providers' usage").baseUnit("usd")
                        .tags("tier", tag(tier), "model", tag(model)).register(registry),
                new ConcurrentHashMap<>()));
    }

    /** A call to a model ended. */
    public void call(String tier, String model, String outcome, long nanos) {
        PerModel m = of(tier, model);
        m.requests().computeIfAbsent(outcome, o -> Counter.builder("router.requests")
                .description("Model calls by tier, model and outcome")
                .tags("tier", tag(tier), "model", tag(model), "outcome", o).register(registry)).increment();
        m.latency().record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A model's first token arrived. */
    public void firstToken(String tier, String model, long nanos) {
        of(tier, model).ttft().record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Tokens and cost a model reported. */
    public void usage(String tier, String model, long in, long out, double cost) {
        PerModel m = of(tier, model);
        m.tokensIn().increment(in);
        m.tokensOut().increment(out);
        m.cost().increment(cost);
    }

    /** An answer was served from the cache. */
    public void cacheHit(String kind) {
        Counter.builder("router.cache.hits").tags("kind", kind).register(registry).increment();
    }

    /** A request moved up from one tier to the next. */
    public void escalation(String from, String to, String why) {
        Counter.builder("router.escalations").tags("from", tag(from), "to", tag(to), "why", why)
                .register(registry).increment();
    }

    /** A budget refused a request. */
    public void budgetRefusal(String budget) {
        Counter.builder("router.budget.refusals").tags("budget", budget).register(registry).increment();
    }
}
