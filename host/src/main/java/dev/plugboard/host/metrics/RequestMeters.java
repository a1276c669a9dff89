package dev.plugboard.host.metrics;

import dev.plugboard.host.engine.Door;
import dev.plugboard.host.engine.RequestObserver;
import dev.plugboard.host.protocol.ProtocolVersion;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Times every request by door, method, tool, outcome and revision. Cheap on the call path: the
 * timers of a tool (or method) are resolved once and kept in an array indexed by door, revision and
 * outcome, so a call costs one map look-up by name, one array read and the timer's own record: no
 * tags built, no lock. Cardinality is bounded: a tool name is a tag only while the catalogue has
 * such a tool (other names share {@value #UNKNOWN}), methods outside the protocol's share it too,
 * and arguments are never looked at.
 */
final class RequestMeters implements RequestObserver {

    static final String UNKNOWN = "_unknown";
    static final String NO_TOOL = "none";
    /** More distinct tools than this are counted under {@value #UNKNOWN}: a guard, never reached in practice. */
    private static final int MAX_TOOLS = 10_000;
    private static final Set<String> METHODS = Set.of("ping", "initialize", "server/discover", "tools/list",
            "tools/call", "resources/list", "resources/templates/list", "resources/read", "resources/subscribe",
            "resources/unsubscribe", "prompts/list", "prompts/get", "completion/complete", "logging/setLevel",
            "subscriptions/listen");
    /** Bucket bounds: wide enough for a 50 µs echo and a 60 s tool; p99 by histogram_quantile. */
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private static final Door[] DOORS = Door.values();
    private static final ProtocolVersion[] VERSIONS = ProtocolVersion.values();
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final MeterRegistry registry;
    private final Predicate<String> knownTool;
    private final LongAdder inFlight = new LongAdder();
    private final Map<String, Slots> tools = new ConcurrentHashMap<>();
    private final Map<String, Slots> methods = new ConcurrentHashMap<>();
    private final Slots unknownTool;
    private final Slots unknownMethod;

    /**
     * @param knownTool whether the catalogue has a tool of this name (asked once per name)
     */
    RequestMeters(MeterRegistry registry, Predicate<String> knownTool) {
        this.registry = registry;
        this.knownTool = knownTool;
        this.unknownTool = new Slots("tools/call", UNKNOWN);
        this.unknownMethod = new Slots(UNKNOWN, NO_TOOL);
        registry.gauge(MeterNames.IN_FLIGHT, inFlight, LongAdder::doubleValue);
    }

    @Override
    public void started() {
        inFlight.increment();
    }

    @Override
    public void finished(Door door, ProtocolVersion version, String method, String tool, Outcome outcome,
            long nanos) {
        inFlight.decrement();
        Slots slots = tool != null ? toolSlots(tool) : methodSlots(method);
        slots.timer(door, version, outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Slots toolSlots(String tool) {
        Slots slots = tools.get(tool);
        if (slots != null) {
            return slots;
        }
        if (tools.size() >= MAX_TOOLS || !knownTool.test(tool)) {
            return unknownTool;
        }
        return tools.computeIfAbsent(tool, name -> new Slots("tools/call", name));
    }

    private Slots methodSlots(String method) {
        Slots slots = methods.get(method);
        if (slots != null) {
            return slots;
        }
        if (method == null || !METHODS.contains(method)) {
            return unknownMethod;
        }
        return methods.computeIfAbsent(method, name -> new Slots(name, NO_TOOL));
    }

    /** How many requests are being answered. */
    long inFlight() {
        return inFlight.sum();
    }

    /** The timers of one method and tool, by door, revision and outcome, each registered on first use. */
    private final class Slots {

        private final String method;
        private final String tool;
        private final AtomicReferenceArray<Timer> timers =
                new AtomicReferenceArray<>(DOORS.length * VERSIONS.length * OUTCOMES.length);

        Slots(String method, String tool) {
            this.method = method;
            this.tool = tool;
        }

        Timer timer(Door door, ProtocolVersion version, Outcome outcome) {
            int i = (door.ordinal() * VERSIONS.length + version.ordinal()) * OUTCOMES.length + outcome.ordinal();
            Timer timer = timers.get(i);
            if (timer == null) {
                // The registry hands out one timer per name and tags, so a race registers it once.
                timer = Timer.builder(MeterNames.REQUESTS)
                        .description("Requests answered, by door, method, tool, outcome and protocol revision")
                        .tag("door", lower(door.name())).tag("method", method).tag("tool", tool)
                        .tag("outcome", lower(outcome.name())).tag("revision", version.id())
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry);
                timers.set(i, timer);
            }
            return timer;
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
