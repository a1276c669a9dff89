package dev.plugboard.host.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.config.Secrets;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code config/security.json}: whether credentials are required on loopback too, this server's
 * resource URI, custom roles, the OAuth issuer, rate limits and the audit file. Every string value
 * may hold secret references ({@link Secrets}). A missing file is the default: open to the local
 * user on loopback, no OAuth, no limits.
 *
 * @param present whether the file exists
 * @param requireCredentials whether anonymous callers are refused even on loopback
 * @param resource this server's resource URI (the audience tokens must name), or null to derive it
 *     from the bind address
 * @param roles the roles, built-in and custom
 * @param oauth the OAuth issuer, or null
 * @param limits the rate limits
 * @param auditFile where the audit log goes (relative to the data folder), never null
 */
public record SecurityConfig(boolean present, boolean requireCredentials, String resource, Roles roles,
        OAuthSettings oauth, RateLimits limits, String auditFile) {

    /** The file's name in the config folder. */
    public static final String FILE = "security.json";

    /**
     * The OAuth 2.1 authorisation server whose tokens are accepted.
     *
     * @param issuer the {@code iss} tokens must carry (also announced in the resource metadata)
     * @param jwksUri where its signing keys are
     * @param audience the {@code aud} tokens must carry, or null for the server's resource URI
     * @param scopes the roles each scope grants
     * @param scopesSupported the scopes announced in the resource metadata (the keys of {@code scopes})
     * @param jwksRefreshMin the least time between two fetches of the keys (an unknown {@code kid} fetches them again)
     * @param clockSkew how far {@code exp} and {@code nbf} may be off
     */
    public record OAuthSettings(String issuer, URI jwksUri, String audience, Map<String, List<String>> scopes,
            List<String> scopesSupported, Duration jwksRefreshMin, Duration clockSkew) {
        /** Copies the maps. */
        public OAuthSettings {
            scopes = Map.copyOf(scopes);
            scopesSupported = List.copyOf(scopesSupported);
        }
    }

    /** The defaults, as without a file. */
    public static SecurityConfig defaults() {
        return new SecurityConfig(false, false, null, Roles.of(Map.of()), null, RateLimits.NONE, "audit.log");
    }

    /**
     * Reads {@code <configDir>/security.json}.
     *
     * @throws IllegalArgumentException naming the field that is wrong (or the reference that cannot be resolved)
     */
    public static SecurityConfig load(Path configDir, ObjectMapper json, Secrets secrets) {
        Path file = configDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return defaults();
        }
        JsonNode root;
        try {
            root = json.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object");
        }
        Reader r = new Reader(file, secrets);
        Map<String, Rights> custom = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("roles").properties()) {
            String at = "roles." + e.getKey();
            Set<Operation> ops = EnumSet.noneOf(Operation.class);
            for (String op : r.strings(e.getValue(), "operations", at, List.of("catalog"))) {
                try {
                    ops.add(Operation.parse(op));
                } catch (IllegalArgumentException x) {
                    throw r.invalid(at + ".operations", x.getMessage());
                }
            }
            custom.put(e.getKey(), new Rights(ops, new Globs(r.strings(e.getValue(), "tools", at, List.of())),
                    Globs.ALL, new Globs(r.strings(e.getValue(), "resources", at, List.of())),
                    new Globs(r.strings(e.getValue(), "prompts", at, List.of()))));
        }
        Roles roles;
        try {
            roles = Roles.of(custom);
        } catch (IllegalArgumentException e) {
            throw r.invalid("roles", e.getMessage());
        }
        OAuthSettings oauth = null;
        JsonNode o = root.get("oauth");
        if (o != null && !o.isNull()) {
            String issuer = r.text(o, "issuer", "oauth", true);
            String jwks = r.text(o, "jwksUri", "oauth", true);
            Map<String, List<String>> scopes = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : o.path("scopes").properties()) {
                List<String> granted = new ArrayList<>();
                if (e.getValue().isTextual()) {
                    granted.add(e.getValue().asText());
                } else {
                    e.getValue().forEach(v -> granted.add(v.asText()));
                }
                for (String role : granted) {
                    if (!roles.exists(role)) {
                        throw r.invalid("oauth.scopes." + e.getKey(), "names the unknown role '" + role + "'");
                    }
                }
                scopes.put(e.getKey(), granted);
            }
            if (scopes.isEmpty()) {
                throw r.invalid("oauth.scopes", "must map at least one scope to roles, such as"
                        + " {\"plugboard:tools\": [\"user\"]}");
            }
            URI jwksUri;
            try {
                jwksUri = URI.create(jwks);
                jwksUri.toURL();
            } catch (IllegalArgumentException | java.net.MalformedURLException e) {
                throw r.invalid("oauth.jwksUri", "is not a URL");
            }
            oauth = new OAuthSettings(issuer, jwksUri, r.text(o, "audience", "oauth", false), scopes,
                    List.copyOf(scopes.keySet()),
                    Duration.ofMillis(r.number(o, "jwksRefreshMinMillis", "oauth", 30_000)),
                    Duration.ofSeconds(r.number(o, "clockSkewSeconds", "oauth", 60)));
        }
        JsonNode l = root.path("rateLimits");
        Map<String, RateLimits.Limit> perToolByName = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : l.path("tools").properties()) {
            perToolByName.put(e.getKey(), r.limit(e.getValue(), "rateLimits.tools." + e.getKey()));
        }
        RateLimits limits = new RateLimits(r.limit(l.get("perCredential"), "rateLimits.perCredential"),
                r.limit(l.get("perTool"), "rateLimits.perTool"), perToolByName);
        String audit = root.path("audit").hasNonNull("file") ? r.text(root.get("audit"), "file", "audit", true)
                : "audit.log";
        return new SecurityConfig(true, root.path("requireCredentials").asBoolean(false),
                r.text(root, "resource", "", false), roles, oauth, limits, audit);
    }

    private record Reader(Path file, Secrets secrets) {

        IllegalArgumentException invalid(String field, String problem) {
            return new IllegalArgumentException(file + ": '" + field + "' " + problem);
        }

        String text(JsonNode node, String field, String at, boolean required) {
            JsonNode v = node.get(field);
            String where = at.isEmpty() ? field : at + "." + field;
            if (v == null || v.isNull()) {
                if (required) {
                    throw invalid(where, "is required");
                }
                return null;
            }
            if (!v.isTextual()) {
                throw invalid(where, "must be a string");
            }
            try {
                return secrets.resolve(v.asText());
            } catch (IllegalArgumentException e) {
                throw invalid(where, e.getMessage());
            }
        }

        long number(JsonNode node, String field, String at, long fallback) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.canConvertToLong() || v.asLong() < 0) {
                throw invalid(at + "." + field, "must be a whole number, 0 or more");
            }
            return v.asLong();
        }

        List<String> strings(JsonNode node, String field, String at, List<String> fallback) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isArray()) {
                throw invalid(at + "." + field, "must be an array of strings");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode s : v) {
                if (!s.isTextual() || s.asText().isBlank()) {
                    throw invalid(at + "." + field, "must be an array of non-blank strings");
                }
                out.add(s.asText());
            }
            return out;
        }

        RateLimits.Limit limit(JsonNode node, String at) {
            if (node == null || node.isNull()) {
                return null;
            }
            try {
                return new RateLimits.Limit((int) number(node, "requests", at, 0),
                        Duration.ofSeconds(number(node, "intervalSeconds", at, 1)),
                        (int) number(node, "concurrent", at, 0));
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith(file.toString()) ? e : invalid(at, e.getMessage());
            }
        }
    }
}
