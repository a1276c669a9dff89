package dev.plugboard.host.config;

import dev.plugboard.host.admin.AdminSettings;
import dev.plugboard.host.http.HttpSettings;
import dev.plugboard.host.invoke.CallLimits;
import dev.plugboard.host.store.StoreSettings;
import dev.plugboard.host.task.TaskLimits;
import dev.plugboard.host.tracing.TracingSettings;
import dev.plugboard.host.websocket.WebSocketSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The host's configuration: built-in defaults, overridden by {@code plugboard.properties} in the
 * config folder, overridden by command-line settings. Relative paths are resolved against the
 * installation folder (the home).
 *
 * @param home the installation folder
 * @param configDir the folder holding {@code plugboard.properties} and plugin configuration
 * @param bundlesDir the deploy folder
 * @param dataDir where the host keeps state (framework cache, indexes)
 * @param systemDir the framework bundles (Declarative Services, Configuration Admin)
 * @param http the HTTP front door's settings
 * @param pageSize how many items a list page holds
 * @param instructions instructions for the model, or null
 * @param sessionIdleTimeout how long an idle session lives
 * @param maxSessions how many sessions may exist at once
 * @param toolTimeout the longest a tool call may run
 * @param maxConcurrentCalls how many calls each tool may run at once
 * @param drainTimeout how long calls in flight may finish once their plugin goes away
 * @param deploySettle the rescan interval while a dropped file is changing
 * @param deployPoll the fallback scan interval of the deploy folder
 * @param maxMessageBytes the largest stdio message accepted
 * @param logLevel the host's log level (java.util.logging name)
 * @param logFile where the log goes; null for standard error
 * @param requestStateKey the key protecting {@code requestState} of the stateless revision
 * @param listTtl the {@code ttlMs} of list results of the stateless revision
 * @param searchMode whether {@code tools/list} lists only the tools about the catalogue
 * @param embeddingModel the embedding model the host runs for plugins
 * @param activationTimeout the longest a bundle's start (its activator and the activation of its
 *     components) may take before the bundle is reported and marked failed
 * @param swapWait how long a call for a tool whose plugin is being updated waits for the new version
 * @param calls the limits of calls into plugin code (per plugin, in all, stuck calls, memory)
 * @param maxSessionsPerClient how many sessions one client address may have at once
 * @param maxClientDataBytes how much client data (clientInfo, capabilities) a session keeps
 * @param maxResultBytes the largest message (a result, above all) the server sends a client
 * @param admin module administration: the upload limit and the URLs modules may be installed from
 * @param insecure whether anonymous callers are served on a non-loopback address (no security configured)
 * @param store where sessions and change events are shared with other nodes ({@code store.redis.url})
 * @param logFormat {@code text} (one readable line per record) or {@code json} (one JSON object per line)
 * @param tasks the bounds on tasks: unfinished ones per caller and in all, time to live, result size
 * @param webSocket the MCP-over-WebSocket door: whether it is on, its ping interval and idle timeout
 * @param tracing where the host's spans are exported over OTLP/HTTP ({@code tracing.otlp.endpoint}), if anywhere
 */
public record HostConfig(Path home, Path configDir, Path bundlesDir, Path dataDir, Path systemDir, HttpSettings http,
        int pageSize, String instructions, Duration sessionIdleTimeout, int maxSessions, Duration toolTimeout,
        int maxConcurrentCalls, Duration drainTimeout, Duration deploySettle, Duration deployPoll, int maxMessageBytes,
        String logLevel, Path logFile, byte[] requestStateKey, Duration listTtl, boolean searchMode,
        String embeddingModel, Duration activationTimeout, Duration swapWait, CallLimits calls,
        int maxSessionsPerClient, int maxClientDataBytes, long maxResultBytes, AdminSettings admin,
        boolean insecure, StoreSettings store, String logFormat, TaskLimits tasks, WebSocketSettings webSocket,
        TracingSettings tracing) {

    /** The name of the host's settings file in the config folder. */
    public static final String FILE = "plugboard.properties";

    /** Every setting with its default, in the form {@code plugboard.properties} uses. */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new TreeMap<>();
        d.put("http.host", "127.0.0.1");
        d.put("http.port", "8080");
        d.put("http.maxBodyBytes", "4194304");
        d.put("http.allowedHosts", "");
        d.put("http.allowedOrigins", "");
        d.put("http.responseMode", "auto");
        d.put("http.keepAliveSeconds", "15");
        d.put("http.headerTimeoutSeconds", "10");
        d.put("http.bodyTimeoutSeconds", "30");
        d.put("http.maxConnections", "2000");
        d.put("mcp.maxResultBytes", "8388608");
        d.put("sessions.maxPerClient", "1000");
        d.put("sessions.maxClientDataBytes", "65536");
        d.put("paths.bundles", "bundles");
        d.put("paths.data", "data");
        d.put("paths.system", "system");
        d.put("mcp.pageSize", "100");
        d.put("mcp.instructions", "");
        d.put("mcp.requestStateKey", "");
        d.put("mcp.listTtlSeconds", "10");
        d.put("mcp.toolListing", "all");
        d.put("embeddings.model", "all-minilm-l6-v2-q");
        d.put("sessions.idleTimeoutSeconds", "1800");
        d.put("sessions.max", "10000");
        d.put("tasks.maxPerCaller", "16");
        d.put("tasks.maxTotal", "256");
        d.put("tasks.ttlSeconds", "3600");
        d.put("tasks.maxTtlSeconds", "86400");
        d.put("tasks.pollIntervalMillis", "1000");
        d.put("tasks.maxResultBytes", "1048576");
        d.put("tools.timeoutSeconds", "120");
        d.put("tools.maxConcurrentCalls", "64");
        d.put("tools.drainSeconds", "10");
        d.put("plugins.maxConcurrentCalls", "128");
        d.put("plugins.maxStuckCalls", "4");
        d.put("plugins.stuckAfterMillis", "1000");
        d.put("calls.maxConcurrent", "512");
        d.put("memory.guardPercent", "90");
        d.put("deploy.settleMillis", "40");
        d.put("deploy.pollMillis", "2000");
        d.put("deploy.activationTimeoutSeconds", "30");
        d.put("deploy.swapWaitSeconds", "30");
        d.put("log.level", "INFO");
        d.put("log.file", "");
        d.put("log.format", "text");
        d.put("admin.maxUploadBytes", "52428800");
        d.put("admin.installUrls", "");
        d.put("security.insecure", "false");
        d.put("store.redis.url", "");
        d.put("websocket.enabled", "false");
        d.put("tracing.otlp.endpoint", "");
        d.put("websocket.pingSeconds", "30");
        d.put("websocket.idleTimeoutSeconds", "120");
        return java.util.Collections.unmodifiableMap(d);
    }

    /**
     * Loads the configuration.
     *
     * @param home the installation folder
     * @param configDir the config folder, or null for {@code <home>/config}
     * @param overrides settings given on the command line, by key
     * @throws IllegalArgumentException naming the key of an unknown or invalid setting
     */
    public static HostConfig load(Path home, Path configDir, Map<String, String> overrides) {
        Path config = configDir != null ? configDir : home.resolve("config");
        Map<String, String> values = new TreeMap<>(DEFAULTS);
        Map<String, String> origins = new java.util.HashMap<>();
        Path file = config.resolve(FILE);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            p.stringPropertyNames().forEach(k -> {
                values.put(k, p.getProperty(k).trim());
                origins.put(k, file.toString());
            });
        }
        values.putAll(overrides);
        overrides.keySet().forEach(k -> origins.put(k, "the command line"));
        for (String key : values.keySet()) {
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "' (from " + origins.get(key) + ")"
                        + " (known: " + DEFAULTS.keySet() + ")");
            }
        }
        Settings s = new Settings(values, origins);
        HttpSettings http = new HttpSettings(s.text("http.host"), s.integer("http.port", 0, 65535),
                s.integer("http.maxBodyBytes", 1024, Integer.MAX_VALUE - 8), s.set("http.allowedHosts"),
                s.set("http.allowedOrigins"), s.responseMode(), Duration.ofSeconds(s.integer("http.keepAliveSeconds", 1, 3600)),
                Duration.ofSeconds(s.integer("http.headerTimeoutSeconds", 1, 3600)),
                Duration.ofSeconds(s.integer("http.bodyTimeoutSeconds", 1, 3600)),
                s.integer("http.maxConnections", 1, 1_000_000));
        String logFile = s.text("log.file");
        Duration toolTimeout = Duration.ofSeconds(s.integer("tools.timeoutSeconds", 1, Integer.MAX_VALUE));
        return new HostConfig(home, config, s.path(home, "paths.bundles"), s.path(home, "paths.data"),
                s.path(home, "paths.system"), http, s.integer("mcp.pageSize", 1, 10_000),
                s.text("mcp.instructions").isEmpty() ? null : s.text("mcp.instructions"),
                Duration.ofSeconds(s.integer("sessions.idleTimeoutSeconds", 1, Integer.MAX_VALUE)),
                s.integer("sessions.max", 1, Integer.MAX_VALUE),
                toolTimeout,
                s.integer("tools.maxConcurrentCalls", 1, 100_000),
                Duration.ofSeconds(s.integer("tools.drainSeconds", 0, 3600)),
                Duration.ofMillis(s.integer("deploy.settleMillis", 5, 60_000)),
                Duration.ofMillis(s.integer("deploy.pollMillis", 50, 3_600_000)),
                http.maxBodyBytes() > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) http.maxBodyBytes(),
                s.logLevel(), logFile.isEmpty() ? null : home.resolve(logFile), s.stateKey(),
                Duration.ofSeconds(s.integer("mcp.listTtlSeconds", 0, 86_400)), s.toolListing(),
                s.text("embeddings.model"),
                Duration.ofSeconds(s.integer("deploy.activationTimeoutSeconds", 1, 86_400)),
                Duration.ofSeconds(s.integer("deploy.swapWaitSeconds", 0, 3600)),
                new CallLimits(toolTimeout,
                        s.integer("plugins.maxConcurrentCalls", 1, 100_000), s.integer("calls.maxConcurrent", 1, 100_000),
                        s.integer("plugins.maxStuckCalls", 1, 100_000),
                        Duration.ofMillis(s.integer("plugins.stuckAfterMillis", 0, 3_600_000)),
                        s.integer("memory.guardPercent", 1, 100)),
                s.integer("sessions.maxPerClient", 1, Integer.MAX_VALUE),
                s.integer("sessions.maxClientDataBytes", 1024, 16 * 1024 * 1024),
                s.integer("mcp.maxResultBytes", 1024, Integer.MAX_VALUE - 8),
                new AdminSettings(s.integer("admin.maxUploadBytes", 1024, Integer.MAX_VALUE),
                        AdminSettings.parseInstallUrls(s.text("admin.installUrls"))),
                s.bool("security.insecure"),
                new StoreSettings(s.text("store.redis.url")),
                s.oneOf("log.format", List.of("text", "json")),
                new TaskLimits(s.integer("tasks.maxPerCaller", 1, 100_000), s.integer("tasks.maxTotal", 1, 1_000_000),
                        Duration.ofSeconds(s.integer("tasks.ttlSeconds", 1, 31_536_000)),
                        Duration.ofSeconds(s.integer("tasks.maxTtlSeconds", 1, 31_536_000)),
                        Duration.ofMillis(s.integer("tasks.pollIntervalMillis", 10, 3_600_000)),
                        s.integer("tasks.maxResultBytes", 1024, Integer.MAX_VALUE - 8)),
                s.webSocket(),
                s.tracing());
    }

    private record Settings(Map<String, String> values, Map<String, String> origins) {

        /** The log levels {@code log.level} accepts: java.util.logging's, most severe first. */
        private static final List<String> LOG_LEVELS = List.of("OFF", "SEVERE", "WARNING", "INFO", "CONFIG", "FINE",
                "FINER", "FINEST", "ALL");

        String text(String key) {
            return values.get(key);
        }

        boolean bool(String key) {
            String v = values.get(key);
            if (!v.equals("true") && !v.equals("false")) {
                throw invalid(key, "must be true or false, not '" + v + "'");
            }
            return v.equals("true");
        }

        /** An invalid value: names the setting, what is wrong, and where the value came from unless it is the default. */
        IllegalArgumentException invalid(String key, String problem) {
            String origin = origins.get(key);
            return new IllegalArgumentException("setting '" + key + "' " + problem + (origin == null ? "" : " (from " + origin + ")"));
        }

        TracingSettings tracing() {
            try {
                return TracingSettings.parse(values.get("tracing.otlp.endpoint"));
            } catch (IllegalArgumentException e) {
                throw invalid("tracing.otlp.endpoint", e.getMessage());
            }
        }

        String logLevel() {
            String level = values.get("log.level").toUpperCase(Locale.ROOT);
            if (!LOG_LEVELS.contains(level)) {
                throw invalid("log.level", "must be one of " + String.join(", ", LOG_LEVELS)
                        + ", not '" + values.get("log.level") + "'");
            }
            return level;
        }

        String oneOf(String key, List<String> allowed) {
            String v = values.get(key).trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                throw invalid(key, "must be one of " + String.join(", ", allowed) + ", not '" + values.get(key) + "'");
            }
            return v;
        }

        int integer(String key, int min, int max) {
            String v = values.get(key);
            try {
                long n = Long.parseLong(v.trim());
                if (n < min || n > max) {
                    throw invalid(key, "must be between " + min + " and " + max
                            + ", not " + v);
                }
                return (int) n;
            } catch (NumberFormatException e) {
                throw invalid(key, "must be a whole number, not '" + v + "'");
            }
        }

        Path path(Path home, String key) {
            return home.resolve(values.get(key)).normalize();
        }

        /**
         * The requestState key: the setting's UTF-8 bytes (at least 32 characters), or a random key
         * when it is empty, which is fine for one node but breaks retries across several nodes.
         */
        byte[] stateKey() {
            String key = values.get("mcp.requestStateKey");
            if (key.isEmpty()) {
                byte[] random = new byte[32];
                new java.security.SecureRandom().nextBytes(random);
                return random;
            }
            if (key.length() < 32) {
                throw invalid("mcp.requestStateKey", "must be at least 32 characters long");
            }
            return key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        /** Whether tools are listed in search mode ({@code search}) rather than all ({@code all}). */
        boolean toolListing() {
            return switch (values.get("mcp.toolListing")) {
                case "all" -> false;
                case "search" -> true;
                default -> throw invalid("mcp.toolListing", "must be all or search, not '"
                        + values.get("mcp.toolListing") + "'");
            };
        }

        Set<String> set(String key) {
            return Arrays.stream(values.get(key).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
        }

        WebSocketSettings webSocket() {
            Duration ping = Duration.ofSeconds(integer("websocket.pingSeconds", 1, 3600));
            Duration idle = Duration.ofSeconds(integer("websocket.idleTimeoutSeconds", 2, 86_400));
            if (idle.compareTo(ping) <= 0) {
                throw invalid("websocket.idleTimeoutSeconds", "must be greater than websocket.pingSeconds ("
                        + ping.toSeconds() + "), or a client answering every ping would be closed as idle");
            }
            return new WebSocketSettings(bool("websocket.enabled"), ping, idle);
        }

        HttpSettings.ResponseMode responseMode() {
            String v = values.get("http.responseMode").toUpperCase(Locale.ROOT);
            try {
                return HttpSettings.ResponseMode.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw invalid("http.responseMode", "must be auto, json or sse, not '"
                        + values.get("http.responseMode") + "'");
            }
        }
    }
}
