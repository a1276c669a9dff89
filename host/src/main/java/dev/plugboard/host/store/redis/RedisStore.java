package dev.plugboard.host.store.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Kind;
import dev.plugboard.host.deploy.BundleDeployer;
import dev.plugboard.host.embedding.SharedVectors;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.events.ChangeFeed;
import dev.plugboard.host.events.EventType;
import dev.plugboard.host.security.SharedSecurity;
import dev.plugboard.host.task.TaskStore;
import dev.plugboard.host.session.SessionStore;
import dev.plugboard.host.store.Store;
import dev.plugboard.host.store.StoreHealth;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The store on a Redis server: sessions ({@link RedisSessions}) and change events between nodes on
 * the pub/sub channel {@code plugboard:events}. While Redis is unreachable the node serves on from
 * what it holds, writes are queued for when it is back, and {@link #health()} reports it down; on
 * reconnection the node gives Redis its sessions again and tells its clients to list again (changes
 * made elsewhere during the outage were not heard).
 */
public final class RedisStore implements Store {

    private static final Logger LOG = Logger.getLogger(RedisStore.class.getName());
    static final String EVENTS = "plugboard:events";
    /** Commands queued while Redis is unreachable; past this, writes fail (and are logged). */
    private static final int QUEUED_COMMANDS = 100_000;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long a node's heartbeat key lives without renewal (renewed every third of it): a node that
     * died is known gone after at most this long.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /**
     * Lettuce's reconnection loggers, kept quiet (they would log every attempt): this class reports
     * an outage once and its end once.
     */
    private static final List<Logger> RECONNECTION_LOGS = List.of(
            Logger.getLogger("io.lettuce.core.protocol.ConnectionWatchdog"),
            Logger.getLogger("io.lettuce.core.protocol.ReconnectionHandler"));

    static {
        RECONNECTION_LOGS.forEach(l -> l.setLevel(Level.SEVERE));
    }

    private final String where;
    private final String node;
    private final ObjectMapper mapper;
    private final ClientResources resources;
    private final RedisMeters meters = new RedisMeters();
    private final AbstractRedisClient client;
    /** The commands of one connection (to a server, or to the nodes of a cluster, routed by key). */
    private final RedisClusterAsyncCommands<String, String> connection;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final RedisSessions sessions;
    private final RedisSecurity security;
    private final RedisTaskStore tasks;
    private final Set<RedisChannelHandler<?, ?>> down = ConcurrentHashMap.newKeySet();
    private volatile Instant downSince;
    private volatile boolean closing;
    private final ExecutorService events = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("redis-events").factory());
    private volatile Consumer<ObjectNode> peerEvents = e -> { };
    private volatile Consumer<ObjectNode> peerFeed = e -> { };
    private volatile AutoCloseable closeWithStore = () -> { };
    private final java.util.concurrent.ScheduledExecutorService heartbeat =
            Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("redis-heartbeat").unstarted(r));

    private RedisStore(String url, ObjectMapper mapper, Duration sessionIdleTimeout) {
        boolean cluster = url.startsWith("redis-cluster://") || url.startsWith("rediss-cluster://");
        List<RedisURI> uris;
        try {
            uris = cluster ? RedisClusterURIUtil.toRedisURIs(java.net.URI.create(url.replaceFirst("-cluster://", "://")))
                    : List.of(RedisURI.create(url));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting 'store.redis.url' is not a Redis URI: " + e.getMessage());
        }
        this.where = cluster ? "the cluster of " + uris : uris.getFirst().toString(); // without the password
        uris.forEach(u -> u.setTimeout(COMMAND_TIMEOUT));
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        this.node = HexFormat.of().formatHex(id);
        this.mapper = mapper;
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(meters)
                .build();
        if (cluster) {
            RedisClusterClient nodes = RedisClusterClient.create(resources, uris);
            nodes.setOptions(ClusterClientOptions.builder().autoReconnect(true).requestQueueSize(QUEUED_COMMANDS)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS).build());
            this.client = nodes;
        } else {
            RedisClient one = RedisClient.create(resources, uris.getFirst());
            one.setOptions(ClientOptions.builder().autoReconnect(true).requestQueueSize(QUEUED_COMMANDS)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS).build());
            this.client = one;
        }
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                connected(handler);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                disconnected(handler);
            }
        });
        try {
            if (client instanceof RedisClusterClient nodes) {
                this.connection = nodes.connect().async();
                this.pubsub = nodes.connectPubSub();
            } else {
                this.connection = ((RedisClient) client).connect().async();
                this.pubsub = ((RedisClient) client).connectPubSub();
            }
        } catch (RedisException e) {
            close();
            throw new IllegalArgumentException("setting 'store.redis.url': cannot connect to " + where + ": "
                    + e.getMessage());
        }
        RedisClusterAsyncCommands<String, String> redis = connection;
        this.sessions = new RedisSessions(redis, mapper, sessionIdleTimeout, node, this::up, cluster);
        this.security = new RedisSecurity(redis, mapper, node, this::up);
        this.tasks = new RedisTaskStore(redis, mapper, node);
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received(message);
            }
        });
        try {
            pubsub.sync().subscribe(EVENTS);
        } catch (RedisException e) {
            close();
            throw new IllegalArgumentException("setting 'store.redis.url': cannot subscribe at " + where + ": "
                    + e.getMessage());
        }
        beat();
        long period = HEARTBEAT.toMillis() / 3;
        heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        LOG.info(() -> "Sessions and events are shared through Redis at " + where + " (node " + node + ")");
    }

    /**
     * Connects to Redis.
     *
     * @param url a Redis URI as Lettuce reads it
     * @param mapper reads and writes stored JSON
     * @param sessionIdleTimeout the stored sessions' expiry
     * @throws IllegalArgumentException when the URI is invalid or Redis cannot be reached
     */
    public static Store connect(String url, ObjectMapper mapper, Duration sessionIdleTimeout) {
        return new RedisStore(url, mapper, sessionIdleTimeout);
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public Optional<SharedVectors> vectors() {
        return Optional.of(new RedisVectors(connection, this::up));
    }

    @Override
    public dev.plugboard.api.store.SharedState state() {
        return new RedisSharedState(connection, where, this::up);
    }

    @Override
    public TaskStore tasks() {
        return tasks;
    }

    @Override
    public Optional<SharedSecurity> security() {
        return Optional.of(security);
    }

    @Override
    public CatalogEvents relay(Catalog catalog, McpEngine engine) {
        CatalogEvents local = engine.events();
        RedisResultCache results = new RedisResultCache(connection, mapper, this::up);
        engine.cacheResults(results);
        peerEvents = event -> {
            switch (event.path("type").asText()) {
                case "lists" -> {
                    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
                    event.path("kinds").forEach(k -> kind(k.asText(), kinds));
                    if (kinds.contains(Kind.TOOLS) || kinds.contains(Kind.RESOURCES)) {
                        results.refresh();
                    }
                    if (!kinds.isEmpty()) {
                        engine.notifyClients(kinds);
                    }
                }
                case "resource" -> engine.notifyResourceUpdated(event.path("uri").asText());
                default -> LOG.fine(() -> "Ignoring an event of another node: " + event.path("type").asText());
            }
        };
        AutoCloseable listening = catalog.addListener(kinds -> {
            if (kinds.contains(Kind.TOOLS) || kinds.contains(Kind.RESOURCES)) {
                results.toolsChangedHere();
            }
            publishLists(kinds);
        });
        sessions.onResync(() -> {
            results.refresh();
            engine.notifyClients(EnumSet.allOf(Kind.class));
        });
        closeWithStore = listening;
        return new CatalogEvents() {
            @Override
            public void resourceUpdated(String uri) {
                local.resourceUpdated(uri);
                publish(message("resource").put("uri", uri));
            }

            @Override
            public void toolsChanged() {
                local.toolsChanged(); // a catalogue change: published by the listener
            }

            @Override
            public void resourcesChanged() {
                local.resourcesChanged();
            }

            @Override
            public void promptsChanged() {
                local.promptsChanged();
            }
        };
    }

    @Override
    public AutoCloseable relayFeed(ChangeFeed feed, BundleDeployer deployer) {
        peerFeed = event -> {
            String from = "on node " + event.path("node").asText();
            if ("lists".equals(event.path("type").asText())) {
                List<String> kinds = new java.util.ArrayList<>();
                event.path("kinds").forEach(k -> kinds.add(k.asText()));
                if (!kinds.isEmpty()) {
                    feed.catalogChanged(kinds, 0); // the revision is the other node's: not told
                }
                return;
            }
            EventType type;
            try {
                type = EventType.valueOf("MODULE_" + event.path("action").asText());
            } catch (IllegalArgumentException e) {
                LOG.fine(() -> "Ignoring a module event of another node: " + event.path("action").asText());
                return;
            }
            String detail = event.path("detail").asText(null);
            feed.module(type, event.path("module").asText(null), event.path("version").asText(null),
                    event.path("file").asText(null), detail == null ? from : from + ": " + detail);
        };
        AutoCloseable listening = deployer.addListener(e -> publish(message("module")
                .put("action", e.action().name()).put("module", e.symbolicName()).put("version", e.version())
                .put("file", e.file()).put("detail", e.detail())));
        return () -> {
            peerFeed = event -> { };
            listening.close();
        };
    }

    private static void kind(String name, Set<Kind> into) {
        for (Kind k : Kind.values()) {
            if (k.name().equals(name)) {
                into.add(k);
            }
        }
    }

    private void publishLists(Set<Kind> kinds) {
        ObjectNode m = message("lists");
        var list = m.putArray("kinds");
        kinds.forEach(k -> list.add(k.name()));
        publish(m);
    }

    private ObjectNode message(String type) {
        return mapper.createObjectNode().put("node", node).put("type", type);
    }

    private void publish(ObjectNode message) {
        connection.publish(EVENTS, message.toString()).exceptionally(e -> {
            LOG.fine(() -> "Publishing an event failed: " + e);
            return 0L;
        });
    }

    /**
     * A message from the channel, on Lettuce's event loop: handled on a thread of its own, as it may
     * block, in the order the messages came (a session's later change must win).
     */
    private void received(String message) {
        ObjectNode event;
        try {
            event = mapper.readTree(message) instanceof ObjectNode o ? o : null;
        } catch (java.io.IOException e) {
            event = null;
        }
        if (event == null || node.equals(event.path("node").asText())) {
            return;
        }
        ObjectNode e = event;
        try {
            events.execute(() -> handle(e));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.fine("An event of another node came while this store closes");
        }
    }

    /** Tells the other nodes this node lives (written again, so a restarted Redis learns it too). */
    private void beat() {
        connection.set(RedisSessions.NODE + node, "1", io.lettuce.core.SetArgs.Builder.px(HEARTBEAT.toMillis()));
    }

    private void handle(ObjectNode e) {
        try {
            String type = e.path("type").asText();
            if ("answer".equals(type)) {
                if (node.equals(e.path("to").asText())) {
                    sessions.answerFromElsewhere(e.path("id").asText(), e.path("answer").asText());
                }
            } else if ("ended".equals(type)) {
                sessions.endedElsewhere(e.path("id").asText());
            } else if ("stream".equals(type)) {
                sessions.streamTakenElsewhere(e.path("id").asText());
            } else if ("task".equals(type)) {
                tasks.changedElsewhere(e.path("state").asText());
            } else if ("module".equals(type)) {
                peerFeed.accept(e);
            } else if ("revoked".equals(type)) {
                Set<String> digests = new java.util.HashSet<>();
                e.path("digests").forEach(d -> digests.add(d.asText()));
                security.revokedElsewhere(digests);
            } else if ("changed".equals(type)) {
                sessions.changedElsewhere(e.path("id").asText(), e.path("state"));
            } else {
                peerEvents.accept(e);
                if ("lists".equals(type)) {
                    peerFeed.accept(e);
                }
            }
        } catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "Handling an event of another node failed: " + failure);
        }
    }

    private synchronized void connected(RedisChannelHandler<?, ?> handler) {
        boolean wasDown = !down.isEmpty();
        down.remove(handler);
        if (wasDown && down.isEmpty()) {
            Instant since = downSince;
            downSince = null;
            LOG.info(() -> "Redis at " + where + " is reachable again (unreachable since " + since
                    + "); resynchronising");
            Thread.ofVirtual().name("redis-resync").start(() -> {
                sessions.resync();
                security.resync();
            });
        }
    }

    private synchronized void disconnected(RedisChannelHandler<?, ?> handler) {
        if (closing || handler.isClosed()) {
            return; // closed on purpose (by this node, or by a cluster client after reading the topology)
        }
        if (down.isEmpty()) {
            downSince = Instant.now();
            LOG.warning(() -> "Redis at " + where + " is unreachable; serving the sessions this node holds, "
                    + "writes are queued until it is back");
        }
        down.add(handler);
    }

    private boolean up() {
        return down.isEmpty();
    }

    @Override
    public void bindMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        meters.bind(registry, this::up);
    }

    @Override
    public StoreHealth health() {
        Instant since = downSince;
        return since == null ? new StoreHealth("redis", true, where)
                : new StoreHealth("redis", false, where + " unreachable since " + since);
    }

    @Override
    public void close() {
        try {
            closeWithStore.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Removing the catalogue listener failed", e);
        }
        closing = true;
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(1, TimeUnit.SECONDS); // no beat after the heartbeat is deleted
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (connection != null && up()) {
            try { // the questions this node asked are answered "gone" at once, not after the heartbeat ran out
                connection.del(RedisSessions.NODE + node).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.fine(() -> "Removing this node's heartbeat failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        events.shutdownNow();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
