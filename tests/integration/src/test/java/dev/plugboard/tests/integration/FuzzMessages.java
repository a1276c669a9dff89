package dev.plugboard.tests.integration;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates MCP messages for the fuzz test, as raw text so that it can say what no JSON library would
 * write ({@code 1e999}, duplicate keys, lone surrogates): messages that are structurally right but odd in
 * every field (wrong types, huge numbers, deep nesting, odd unicode, missing and extra fields, wrong
 * methods and ids), and plain garbage. All randomness comes from the {@link Random} given, which the test
 * seeds, so a run is repeatable.
 */
final class FuzzMessages {

    static final String STATELESS = "2026-07-28";
    private static final String PUNCTUATION = "%{}/\\\"'<>&+#?=";

    /** Methods of both revisions, and some that exist in neither. */
    private static final List<String> METHODS = List.of("initialize", "ping", "tools/list", "tools/call",
            "resources/list", "resources/templates/list", "resources/read", "resources/subscribe",
            "resources/unsubscribe", "prompts/list", "prompts/get", "completion/complete", "logging/setLevel",
            "server/discover", "subscriptions/listen", "notifications/initialized", "notifications/cancelled",
            "notifications/progress", "notifications/roots/list_changed", "sampling/createMessage", "tools/Call",
            "tools/", "/", "rpc.discover", "tools/call\u0000", "initialize ", "\u00e9t\u00e9/list");
    private static final List<String> LEVELS = List.of("debug", "info", "notice", "warning", "error", "critical",
            "alert", "emergency", "DEBUG", "verbose", "");
    private static final List<String> VERSIONS = List.of("2025-03-26", "2025-06-18", "2025-11-25", STATELESS,
            "2024-11-05", "2099-01-01", "", "latest");
    private static final List<String> URIS = List.of("test://static-text", "test://static-binary",
            "test://watched-resource", "test://template/42/data", "test://template/%zz/data", "test://template/%/data",
            "test://template/%4/data", "test://template/%E2%82/data", "test://template/a%2Fb/data",
            "test://template//data", "test://nothing", "file:///etc/passwd", "", "%", "test://template/%ff%fe/data");
    private static final List<String> HUGE_NUMBERS = List.of("1e999", "-1e999", "1e2147483647", "-1e2147483647",
            "1e-2147483648", "1E+400", "0.1e310", "-0", "-0.0", "4.9e-325", "9223372036854775808",
            "-9223372036854775809", "18446744073709551616", "2147483648", "-2147483649", "1.5", "3.0", "1e2",
            "123456789012345678901234567890.123456789e10", "0e0", "1" + "0".repeat(400),
            "0." + "1".repeat(300));

    /** A tool the generator calls, with its argument names and their JSON types. */
    record ToolShape(String name, Map<String, String> arguments) {

        static ToolShape of(JsonNode descriptor) {
            Map<String, String> args = new LinkedHashMap<>();
            descriptor.path("inputSchema").path("properties").properties()
                    .forEach(p -> args.put(p.getKey(), p.getValue().path("type").asText("any")));
            return new ToolShape(descriptor.get("name").asText(), args);
        }
    }

    /**
     * A message for the HTTP transport with the headers it goes with.
     *
     * @param body the body
     * @param headers the MCP headers to send, by name (a null value leaves the header out)
     */
    record HttpMessage(String body, Map<String, String> headers) {
    }

    /** Methods each revision answers, which tame messages use. */
    private static final List<String> SESSION_METHODS = List.of("ping", "tools/list", "tools/call", "tools/call",
            "tools/call", "resources/list", "resources/templates/list", "resources/read", "resources/subscribe",
            "resources/unsubscribe", "prompts/list", "prompts/get", "completion/complete", "logging/setLevel",
            "notifications/cancelled");
    private static final List<String> STATELESS_METHODS = List.of("server/discover", "tools/list", "tools/call",
            "tools/call", "tools/call", "resources/list", "resources/templates/list", "resources/read",
            "prompts/list", "prompts/get", "completion/complete", "subscriptions/listen");

    private final List<ToolShape> tools;
    /**
     * Whether the message being generated keeps its envelope, {@code _meta} and headers right, so that
     * the oddities of its params reach the feature behind them; half the messages are tame.
     */
    private boolean tame;
    private final List<String> prompts = List.of("test_simple_prompt", "test_prompt_with_arguments",
            "test_prompt_with_embedded_resource", "test_prompt_with_image", "nope", "");

    FuzzMessages(List<ToolShape> tools) {
        this.tools = List.copyOf(tools);
    }

    // ---- messages ----

    /** A message of the session-based revisions (or garbage). */
    String sessionMessage(Random r) {
        tame = r.nextBoolean();
        if (rare(r, 8)) {
            return garbage(r);
        }
        String method = tame ? pick(r, SESSION_METHODS) : r.nextInt(10) < 8 ? pick(r, METHODS) : string(r);
        return envelope(r, method, params(r, method, false));
    }

    /** A message of the stateless revision (or garbage) with headers that mostly agree with it. */
    HttpMessage statelessMessage(Random r, boolean forHttp) {
        tame = r.nextBoolean();
        String method;
        do {
            method = pick(r, tame ? STATELESS_METHODS : METHODS);
        } while (forHttp && method.equals("subscriptions/listen") && r.nextInt(20) != 0);
        Map<String, String> params = params(r, method, true);
        boolean listen = method.equals("subscriptions/listen");
        if (forHttp && listen) {
            // A valid listen holds its stream open: send only ones that are refused (a bad version).
            params.put("_meta", "{\"io.modelcontextprotocol/protocolVersion\":\"2025-11-25\","
                    + "\"io.modelcontextprotocol/clientCapabilities\":{}}");
        }
        String body = rare(r, 12) ? garbage(r) : envelope(r, method, params);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("MCP-Protocol-Version", rare(r, 15) ? pick(r, VERSIONS) : rare(r, 30) ? null : STATELESS);
        headers.put("Mcp-Method", rare(r, 15) ? headerText(r) : rare(r, 30) ? null : asHeader(method));
        String name = switch (method) {
            case "tools/call", "prompts/get" -> unquoted(params.get("name"));
            case "resources/read" -> unquoted(params.get("uri"));
            default -> null;
        };
        headers.put("Mcp-Name", rare(r, 15) ? headerText(r) : name == null ? null : asHeader(name));
        return new HttpMessage(body, headers);
    }

    /** Text that is not a JSON-RPC message: broken JSON, non-objects, nesting past the limit, odd bytes. */
    String garbage(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "";
            case 1 -> "{";
            case 2 -> "[" + "[".repeat(r.nextInt(400)) + "]".repeat(r.nextInt(400)) + "]";
            case 3 -> "{\"a\":".repeat(150 + r.nextInt(150)) + "1" + "}".repeat(r.nextInt(300));
            case 4 -> value(r, 3);
            case 5 -> "[" + envelope(r, "ping", new LinkedHashMap<>()) + "]";
            case 6 -> {
                String message = envelope(r, pick(r, METHODS), params(r, pick(r, METHODS), r.nextBoolean()));
                yield message.substring(0, r.nextInt(message.length() + 1));
            }
            case 7 -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"ping\"}";
            case 8 -> "\uFEFF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
            case 9 -> new String(randomBytes(r), StandardCharsets.ISO_8859_1);
            case 10 -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} trailing";
            default -> "{\"jsonrpc\":\"2.0\",\"id\":" + pick(r, HUGE_NUMBERS) + ",\"method\":\"ping\"}";
        };
    }

    private String envelope(Random r, String method, Map<String, String> params) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("jsonrpc", rare(r, 25) ? value(r, 1) : "\"2.0\"");
        boolean notification = method.startsWith("notifications/");
        if (!notification || r.nextInt(10) == 0) {
            fields.put("id", id(r));
        }
        fields.put("method", rare(r, 30) ? value(r, 1) : quote(method));
        if (!params.isEmpty() || r.nextBoolean()) {
            fields.put("params", rare(r, 30) ? value(r, 2) : object(params));
        }
        if (rare(r, 20)) {
            fields.put(r.nextBoolean() ? "result" : "error", value(r, 2));
        }
        if (rare(r, 20)) {
            fields.remove(pick(r, new ArrayList<>(fields.keySet())));
        }
        if (r.nextInt(10) == 0) {
            fields.put(key(r), value(r, 2));
        }
        return object(fields);
    }

    private String id(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "null";
            case 1 -> pick(r, HUGE_NUMBERS);
            case 2 -> value(r, 2);
            case 3 -> string(r);
            case 4 -> "\"\"";
            default -> Integer.toString(r.nextInt(1_000_000));
        };
    }

    /** Params for a method: mostly the right fields, each possibly replaced, dropped, or joined by others. */
    private Map<String, String> params(Random r, String method, boolean stateless) {
        Map<String, String> p = new LinkedHashMap<>();
        switch (method) {
            case "initialize" -> {
                p.put("protocolVersion", quote(pick(r, VERSIONS)));
                p.put("capabilities", r.nextInt(4) == 0 ? value(r, 3) : "{}");
                p.put("clientInfo", implementation(r));
            }
            case "tools/list", "resources/list", "resources/templates/list", "prompts/list" -> {
                if (r.nextBoolean()) {
                    p.put("cursor", r.nextBoolean() ? quote("azpx") : string(r));
                }
            }
            case "tools/call" -> {
                ToolShape tool = pick(r, tools);
                p.put("name", r.nextInt(15) == 0 ? string(r) : quote(tool.name()));
                p.put("arguments", r.nextInt(15) == 0 ? value(r, 2) : arguments(r, tool));
            }
            case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
                    p.put("uri", r.nextInt(6) == 0 ? value(r, 1) : quote(pick(r, URIS)));
            case "prompts/get" -> {
                p.put("name", quote(pick(r, prompts)));
                p.put("arguments", r.nextInt(4) == 0 ? value(r, 2)
                        : object(Map.of("arg1", r.nextBoolean() ? string(r) : value(r, 1), "arg2", string(r))));
            }
            case "completion/complete" -> {
                Map<String, String> ref = new LinkedHashMap<>();
                ref.put("type", quote(r.nextBoolean() ? "ref/prompt" : r.nextBoolean() ? "ref/resource" : "ref/other"));
                ref.put("name", r.nextBoolean() ? quote(pick(r, prompts)) : value(r, 1));
                ref.put("uri", r.nextBoolean() ? quote("test://template/{id}/data") : value(r, 1));
                p.put("ref", r.nextInt(5) == 0 ? value(r, 2) : object(ref));
                p.put("argument", r.nextInt(5) == 0 ? value(r, 2)
                        : object(Map.of("name", r.nextBoolean() ? quote(r.nextBoolean() ? "arg1" : "id") : value(r, 1),
                                "value", r.nextBoolean() ? string(r) : value(r, 1))));
                if (r.nextBoolean()) {
                    p.put("context", r.nextBoolean() ? value(r, 2) : object(Map.of("arguments", value(r, 2))));
                }
            }
            case "logging/setLevel" -> p.put("level", r.nextInt(4) == 0 ? value(r, 1) : quote(pick(r, LEVELS)));
            case "notifications/cancelled" -> {
                p.put("requestId", id(r));
                p.put("reason", r.nextBoolean() ? string(r) : value(r, 1));
            }
            case "notifications/progress" -> {
                p.put("progressToken", id(r));
                p.put("progress", pick(r, HUGE_NUMBERS));
            }
            case "subscriptions/listen" -> p.put("notifications", r.nextInt(3) == 0 ? value(r, 2)
                    : "{\"toolsListChanged\":true,\"resourceSubscriptions\":[" + string(r) + "]}");
            default -> {
                if (r.nextBoolean()) {
                    p.put(key(r), value(r, 2));
                }
            }
        }
        for (String field : new ArrayList<>(p.keySet())) {
            if (rare(r, 12)) {
                p.put(field, value(r, 2));
            } else if (rare(r, 25)) {
                p.remove(field);
            }
        }
        if (stateless || r.nextInt(10) == 0) {
            p.put("_meta", meta(r, stateless));
        }
        return p;
    }

    private String meta(Random r, boolean stateless) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (stateless) {
            meta.put("io.modelcontextprotocol/protocolVersion", rare(r, 12) ? value(r, 1)
                    : quote(rare(r, 10) ? pick(r, VERSIONS) : STATELESS));
            meta.put("io.modelcontextprotocol/clientCapabilities", rare(r, 8) ? value(r, 2)
                    : r.nextInt(4) == 0 ? "{\"elicitation\":{},\"sampling\":" + value(r, 1) + "}" : "{}");
            if (r.nextBoolean()) {
                meta.put("io.modelcontextprotocol/clientInfo", implementation(r));
            }
            if (r.nextInt(4) == 0) {
                meta.put("io.modelcontextprotocol/logLevel", rare(r, 3) ? value(r, 1) : quote(pick(r, LEVELS)));
            }
        }
        if (r.nextInt(4) == 0) {
            meta.put("progressToken", id(r));
        }
        if (rare(r, 15)) {
            meta.remove(pick(r, new ArrayList<>(meta.keySet().isEmpty() ? List.of("x") : meta.keySet())));
        }
        return rare(r, 30) ? value(r, 2) : object(meta);
    }

    /** An implementation object whose fields are often not strings: the input that once stopped stdio. */
    private String implementation(Random r) {
        if (rare(r, 8)) {
            return value(r, 2);
        }
        Map<String, String> info = new LinkedHashMap<>();
        info.put("name", rare(r, 3) ? value(r, 2) : string(r));
        if (r.nextBoolean()) {
            info.put("title", rare(r, 3) ? value(r, 2) : string(r));
        }
        info.put("version", rare(r, 3) ? value(r, 2) : quote("1.0"));
        return object(info);
    }

    private String arguments(Random r, ToolShape tool) {
        Map<String, String> args = new LinkedHashMap<>();
        tool.arguments().forEach((name, type) -> {
            if (r.nextInt(8) != 0) {
                args.put(name, r.nextInt(3) == 0 ? value(r, 2) : typed(r, type));
            }
        });
        if (r.nextInt(8) == 0) {
            args.put(key(r), value(r, 1));
        }
        return object(args);
    }

    /** A value of a JSON Schema type, odd but of that type. */
    private String typed(Random r, String type) {
        return switch (type) {
            case "integer" -> r.nextInt(3) == 0 ? pick(r, HUGE_NUMBERS) : Integer.toString(r.nextInt(2000) - 1000);
            case "number" -> r.nextInt(3) == 0 ? pick(r, HUGE_NUMBERS) : Double.toString(r.nextGaussian() * 1e3);
            case "boolean" -> r.nextBoolean() ? "true" : "false";
            case "string" -> switch (r.nextInt(8)) {
                case 0 -> "\"\"";
                case 1 -> "\"  \\t \"";
                case 2 -> quote("2026-12-06");
                case 3 -> quote("Europe/Paris");
                case 4 -> quote("1 + 2 * 3");
                default -> string(r);
            };
            case "array" -> "[" + value(r, 1) + "," + string(r) + "]";
            case "object" -> "{\"k\":" + value(r, 1) + "}";
            default -> value(r, 2);
        };
    }

    // ---- JSON values ----

    /** Any JSON value, nested at most {@code depth} levels (sometimes much deeper, within the limit). */
    String value(Random r, int depth) {
        int kind = r.nextInt(depth > 0 ? 10 : 6);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> r.nextBoolean() ? "true" : "false";
            case 2 -> pick(r, HUGE_NUMBERS);
            case 3 -> Long.toString(r.nextLong());
            case 4, 5 -> string(r);
            case 6 -> {
                if (r.nextInt(10) == 0) {
                    int n = 20 + r.nextInt(150);
                    yield "[".repeat(n) + value(r, 0) + "]".repeat(n);
                }
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    items.add(value(r, depth - 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    fields.put(key(r), value(r, depth - 1));
                }
                yield object(fields);
            }
        };
    }

    /** A JSON string of odd text: control characters, escapes, lone surrogates, other scripts, long runs. */
    String string(Random r) {
        StringBuilder s = new StringBuilder("\"");
        int length = r.nextInt(10) == 0 ? 200 + r.nextInt(3000) : r.nextInt(12);
        for (int i = 0; i < length; i++) {
            int c = switch (r.nextInt(10)) {
                case 0 -> r.nextInt(0x20);
                case 1 -> 0xD800 + r.nextInt(0x800);
                case 2 -> 0x80 + r.nextInt(0x780);
                case 3 -> 0x4E00 + r.nextInt(0x5000);
                case 4 -> 0x1F600 + r.nextInt(0x50);
                case 5 -> PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length()));
                default -> 'a' + r.nextInt(26);
            };
            if (c == '"' || c == '\\') {
                s.append('\\').append((char) c);
            } else if (c < 0x20 || (c >= 0xD800 && c < 0xE000 && r.nextBoolean())) {
                s.append(String.format("\\u%04x", c));
            } else {
                s.appendCodePoint(c);
            }
        }
        return s.append('"').toString();
    }

    private String key(Random r) {
        return r.nextInt(3) == 0 ? string(r) : quote(pick(r, List.of("extra", "_meta", "name", "arguments", "id",
                "jsonrpc", "uri", "__proto__", "", "constructor")));
    }

    // ---- helpers ----

    private static String object(Map<String, String> fields) {
        StringBuilder s = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append(k.startsWith("\"") ? k : quote(k)).append(':').append(v);
        });
        return s.append('}').toString();
    }

    static String quote(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append('"').toString();
    }

    private static String unquoted(String json) {
        if (json == null || !json.startsWith("\"") || !json.endsWith("\"") || json.length() < 2 || json.contains("\\")) {
            return null;
        }
        return json.substring(1, json.length() - 1);
    }

    /** A header value that mirrors a body value: as is when it is visible ASCII, else Base64-wrapped. */
    private static String asHeader(String value) {
        boolean plain = value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
        return plain ? value : "=?base64?" + java.util.Base64.getEncoder().encodeToString(
                value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** Odd but sendable header text. */
    private static String headerText(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "";
            case 1 -> "=?base64?!!!?=";
            case 2 -> "=?base64?" + java.util.Base64.getEncoder().encodeToString(randomBytes(r)) + "?=";
            case 3 -> "tools/call";
            default -> "x".repeat(r.nextInt(300));
        };
    }

    private static byte[] randomBytes(Random r) {
        byte[] bytes = new byte[r.nextInt(64)];
        r.nextBytes(bytes);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                bytes[i] = ' ';
            }
        }
        return bytes;
    }

    /** True once in {@code n} times, never for a tame message. */
    private boolean rare(Random r, int n) {
        return r.nextInt(n) == 0 && !tame;
    }

    private static <T> T pick(Random r, List<T> items) {
        return items.get(r.nextInt(items.size()));
    }
}
