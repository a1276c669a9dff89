package dev.plugboard.host.metrics;

/**
 * The names of the meters the host registers, as Micrometer names (Prometheus: dots become
 * underscores, timers gain {@code _seconds}, counters {@code _total}). The monitoring files in
 * {@code distribution/monitoring/} use them; the test that checks those files reads these constants.
 */
public final class MeterNames {

    /** Timer of every request the engine answers; tags door, method, tool, outcome, revision. */
    public static final String REQUESTS = "plugboard.requests";
    /** Gauge of requests being answered. */
    public static final String IN_FLIGHT = "plugboard.requests.in.flight";
    /** Gauge of open sessions (session-based revisions). */
    public static final String SESSIONS = "plugboard.sessions";
    /** Gauge of open Server-Sent Event streams. */
    public static final String SSE_STREAMS = "plugboard.sse.streams";
    /** Counter of deployment events; tag action (installed, updated, started, stopped, removed, failed). */
    public static final String DEPLOY_EVENTS = "plugboard.deploy.events";
    /** Timer from a jar's install or update to its start or failure; tag outcome. */
    public static final String DEPLOY_DURATION = "plugboard.deploy.duration";
    /** Gauge of deployed jars by state; tag state. */
    public static final String BUNDLES = "plugboard.bundles";
    /** Gauge of tools in the catalogue. */
    public static final String TOOLS = "plugboard.catalog.tools";
    /** Timer of searches of the catalogue through the search plugin, as the host sees them. */
    public static final String SEARCH = "plugboard.search";
    /** Gauge of the catalogue revisions the search index is behind (0: up to date; -1: no search plugin). */
    public static final String SEARCH_INDEX_LAG = "plugboard.search.index.lag";
    /** Gauge of the catalogue revision the search index reached (-1: no search plugin). */
    public static final String SEARCH_INDEXED_REVISION = "plugboard.search.indexed.revision";
    /** Counter of embedding-cache look-ups; tag result (hit, miss). */
    public static final String EMBEDDING_CACHE = "plugboard.embedding.cache";
    /**
     * Counter of look-ups in the cache of results; tags cache (tool: {@code @Tool(cacheSeconds)},
     * resource: {@code @Resource(cacheSeconds)}) and result (hit, miss).
     */
    public static final String RESULT_CACHE = "plugboard.result.cache";
    /** Gauge of vectors in the embedding cache. */
    public static final String EMBEDDING_CACHE_SIZE = "plugboard.embedding.cache.size";
    /** Gauge, 1 when a health part is up, else 0; tag part (framework, bundles, search, redis...). */
    public static final String HEALTH = "plugboard.health.up";

    /**
     * Gauge, 1 while this node is connected to Redis (every node of a cluster it uses), else 0;
     * registered only when {@code store.redis.url} is set. Lettuce adds {@code lettuce.command.completion}
     * and {@code lettuce.command.firstresponse} (timers, tags command, local, remote) beside it.
     */
    public static final String REDIS_CONNECTED = "plugboard.redis.connected";

    /**
     * The circuit breakers' state (1 for the state a breaker is in), tags name and state; registered
     * by the proxy plugin through resilience4j-micrometer on the host's {@code MeterRegistry}
     * service, so it appears only once an upstream is configured.
     */
    public static final String BREAKER_STATE = "resilience4j.circuitbreaker.state";

    private MeterNames() {
    }
}
