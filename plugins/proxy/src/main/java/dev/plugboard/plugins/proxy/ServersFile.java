package dev.plugboard.plugins.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.upstream.UpstreamTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code mcp-servers.json}: the desktop clients' {@code mcpServers} object, with Plugboard's
 * optional keys per upstream and a {@code plugboard} object for the whole file. Pure: no I/O, so an
 * entry that cannot be read is reported by name while the others are read.
 */
final class ServersFile {

    static final String DEFAULT_SEPARATOR = "__";

    private static final Set<String> KEYS = Set.of("command", "args", "env", "cwd", "url", "headers", "type",
            "prefix", "include", "exclude", "enabled", "disabled", "connectTimeoutSeconds", "callTimeoutSeconds",
            "breaker", "retry", "bulkhead", "protocolVersion", "pingIntervalSeconds", "tools", "requiredRole");
    private static final Set<String> VERSIONS = Set.of("2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26",
            "2024-11-05");

    /**
     * What the file says.
     *
     * @param separator what separates an upstream's prefix from its tools' names
     * @param upstreams the entries that could be read, by name, in the file's order
     * @param problems one sentence per entry that could not be read, by name; or under {@code ""} for the file
     * @param warnings things read but worth saying (unknown keys)
     */
    record Parsed(String separator, Map<String, UpstreamSettings> upstreams, Map<String, String> problems,
            List<String> warnings) {
    }

    private ServersFile() {
    }

    /** Reads the file's bytes; {@code folder} resolves relative {@code cwd} values. */
    static Parsed parse(byte[] json, ObjectMapper mapper, Path folder) {
        Map<String, UpstreamSettings> upstreams = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        JsonNode root;
        try {
            root = json.length == 0 ? mapper.createObjectNode() : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            problems.put("", "the file is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
            return new Parsed(DEFAULT_SEPARATOR, upstreams, problems, warnings);
        } catch (java.io.IOException e) {
            problems.put("", "the file cannot be read");
            return new Parsed(DEFAULT_SEPARATOR, upstreams, problems, warnings);
        }
        if (root == null || !root.isObject()) {
            problems.put("", "the file must hold a JSON object with an \"mcpServers\" object");
            return new Parsed(DEFAULT_SEPARATOR, upstreams, problems, warnings);
        }
        String separator = root.path("plugboard").path("separator").asText(DEFAULT_SEPARATOR);
        if (separator.isEmpty() || !separator.matches("[A-Za-z0-9_.-]{1,8}")) {
            problems.put("", "plugboard.separator must be 1 to 8 characters from A-Z, a-z, 0-9, '_', '-' and '.'");
            separator = DEFAULT_SEPARATOR;
        }
        JsonNode servers = root.path("mcpServers");
        if (!servers.isMissingNode() && !servers.isObject()) {
            problems.put("", "\"mcpServers\" must be an object of named servers");
            return new Parsed(separator, upstreams, problems, warnings);
        }
        for (Map.Entry<String, JsonNode> e : servers.properties()) {
            try {
                upstreams.put(e.getKey(), entry(e.getKey(), e.getValue(), separator, folder, warnings));
            } catch (IllegalArgumentException bad) {
                problems.put(e.getKey(), bad.getMessage());
            }
        }
        return new Parsed(separator, upstreams, problems, warnings);
    }

    private static UpstreamSettings entry(String name, JsonNode node, String separator, Path folder,
            List<String> warnings) {
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("the name must be 1 to 64 characters from A-Z, a-z, 0-9, '_', '-' and '.'");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("the entry must be an object with \"command\" or \"url\"");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                warnings.add("Upstream " + name + ": unknown key '" + k + "' is ignored");
            }
        });
        String prefix = text(node, "prefix", name);
        if (name.contains(separator)) {
            throw new IllegalArgumentException("the name contains the separator '" + separator
                    + "', so its tools' names could not be split; rename it or set \"prefix\"");
        }
        if (prefix.isEmpty() || prefix.contains(separator) || !prefix.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("\"prefix\" must be 1 to 64 characters from A-Z, a-z, 0-9, '_', '-'"
                    + " and '.' without the separator '" + separator + "'");
        }
        String type = text(node, "type", "");
        UpstreamTarget target;
        if (node.has("command") && node.has("url")) {
            throw new IllegalArgumentException("give either \"command\" (stdio) or \"url\" (HTTP), not both");
        } else if (node.has("command")) {
            if (!type.isEmpty() && !type.equals("stdio")) {
                throw new IllegalArgumentException("\"type\" '" + type + "' does not go with \"command\"");
            }
            String command = text(node, "command", "");
            if (command.isBlank()) {
                throw new IllegalArgumentException("\"command\" must be a non-empty string");
            }
            String cwd = text(node, "cwd", null);
            target = new UpstreamTarget.Stdio(command, strings(node, "args"), stringMap(node, "env"),
                    cwd == null ? null : folder.resolve(cwd));
        } else if (node.has("url")) {
            if (!type.isEmpty() && !type.equals("sse") && !type.equals("http") && !type.equals("streamable-http")
                    && !type.equals("streamableHttp")) {
                throw new IllegalArgumentException("\"type\" '" + type + "' is not a transport this proxy speaks");
            }
            URI url;
            try {
                url = URI.create(text(node, "url", ""));
                target = type.equals("sse") ? new UpstreamTarget.Sse(url, stringMap(node, "headers"))
                        : new UpstreamTarget.Http(url, stringMap(node, "headers"));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("\"url\" must be an http or https URL");
            }
        } else {
            throw new IllegalArgumentException("the entry needs \"command\" (stdio) or \"url\" (HTTP)");
        }
        boolean enabled = flag(node, "enabled", true) && !flag(node, "disabled", false);
        JsonNode breaker = object(node, "breaker");
        JsonNode retry = object(node, "retry");
        JsonNode bulkhead = object(node, "bulkhead");
        String version = text(node, "protocolVersion", null);
        if (version != null && !VERSIONS.contains(version)) {
            throw new IllegalArgumentException("\"protocolVersion\" must be one of " + new java.util.TreeSet<>(VERSIONS)
                    .descendingSet());
        }
        if ("2026-07-28".equals(version) && target instanceof UpstreamTarget.Sse) {
            throw new IllegalArgumentException("the HTTP+SSE transport does not carry protocol version 2026-07-28");
        }
        String role = text(node, "requiredRole", null);
        if (role != null && role.isBlank()) {
            throw new IllegalArgumentException("\"requiredRole\" must name a role");
        }
        UpstreamSettings.Breaker upstreamBreaker = breaker(breaker, null);
        Map<String, UpstreamSettings.Breaker> toolBreakers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> t : object(node, "tools").properties()) {
            if (!t.getValue().isObject()) {
                throw new IllegalArgumentException("\"tools\" must map tool names to objects");
            }
            t.getValue().fieldNames().forEachRemaining(k -> {
                if (!k.equals("breaker")) {
                    warnings.add("Upstream " + name + ": unknown key 'tools." + t.getKey() + "." + k + "' is ignored");
                }
            });
            toolBreakers.put(t.getKey(), breaker(object(t.getValue(), "breaker"), upstreamBreaker));
        }
        return new UpstreamSettings(name, target, prefix, strings(node, "include"), strings(node, "exclude"), enabled,
                seconds(node, "connectTimeoutSeconds", 30), seconds(node, "callTimeoutSeconds", 60),
                upstreamBreaker,
                new UpstreamSettings.Retry((int) number(retry, "maxAttempts", 3, 1, 10),
                        Duration.ofMillis((long) number(retry, "waitMillis", 200, 1, 60_000))),
                (int) number(bulkhead, "maxConcurrentCalls", 32, 1, 10_000), version,
                seconds(node, "pingIntervalSeconds", 30), flag(breaker, "perTool", false), toolBreakers, role);
    }

    /** A breaker's settings; keys not given come from {@code base}, or the defaults when it is null. */
    private static UpstreamSettings.Breaker breaker(JsonNode b, UpstreamSettings.Breaker base) {
        return new UpstreamSettings.Breaker(
                (float) number(b, "failureRateThreshold", base == null ? 50 : base.failureRateThreshold(), 1, 100),
                (float) number(b, "slowCallRateThreshold", base == null ? 100 : base.slowCallRateThreshold(), 1, 100),
                seconds(b, "slowCallSeconds", base == null ? 30 : base.slowCall().toMillis() / 1000.0),
                (int) number(b, "windowSize", base == null ? 20 : base.windowSize(), 1, 10_000),
                (int) number(b, "minimumCalls", base == null ? 10 : base.minimumCalls(), 1, 10_000),
                seconds(b, "openSeconds", base == null ? 30 : base.openFor().toMillis() / 1000.0),
                (int) number(b, "halfOpenCalls", base == null ? 2 : base.halfOpenCalls(), 1, 1_000));
    }

    private static String text(JsonNode node, String key, String otherwise) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string");
        }
        return v.asText();
    }

    private static boolean flag(JsonNode node, String key, boolean otherwise) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("\"" + key + "\" must be true or false");
        }
        return v.asBoolean();
    }

    private static JsonNode object(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return new ObjectMapper().createObjectNode();
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("\"" + key + "\" must be an object");
        }
        return v;
    }

    private static double number(JsonNode node, String key, double otherwise, double min, double max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw new IllegalArgumentException("\"" + key + "\" must be a number from " + fmt(min) + " to " + fmt(max));
        }
        return v.asDouble();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static Duration seconds(JsonNode node, String key, double otherwise) {
        return Duration.ofMillis(Math.round(number(node, key, otherwise, 0.001, 86_400) * 1000));
    }

    private static List<String> strings(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("\"" + key + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                throw new IllegalArgumentException("\"" + key + "\" must be an array of strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("\"" + key + "\" must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("\"" + key + "\" must be an object of strings");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
