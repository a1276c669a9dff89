package dev.plugboard.host.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.config.Secrets;
import dev.plugboard.host.admin.AdminAccess;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The host's one security layer: every door asks it who a request acts for ({@link #authenticate},
 * once per request, from the {@code Authorization} header), whether that principal may do an
 * operation ({@link #authorize}), and counts the request against its rate limit ({@link #takeRequest}).
 *
 * <p>Credentials: API keys ({@link ApiKeys}, looked up by digest), the admin key of
 * {@code <data>/admin.key} (role {@code admin}), and OAuth 2.1 bearer tokens from the issuer of
 * {@code security.json}, whose scopes map to roles. Without a credential a request acts for the local
 * user (role {@code user}, every catalogue entry) on a loopback bind, unless {@code security.json}
 * requires credentials; on any other bind it is refused unless the server runs {@code --insecure}.
 * Thread-safe.
 */
public final class Security implements AutoCloseable {

    /** What {@link #authenticate} and {@link #authorize} decide. */
    public sealed interface Verdict {
    }

    /** The request goes on, acting for this principal. */
    public record Pass(Principal principal) implements Verdict {
    }

    /**
     * The request is refused.
     *
     * @param status 401 (no or a bad credential), 403 (not allowed) or 429 (rate limit)
     * @param error the OAuth error code for {@code WWW-Authenticate} ({@code invalid_token},
     *     {@code insufficient_scope}, {@code invalid_request}), or null
     * @param detail a sentence for the caller; never the credential
     * @param scope the scope(s) that would allow it (for {@code insufficient_scope}), or null
     * @param retryAfterSeconds for a 429, the seconds to wait; else 0
     */
    public record Refusal(int status, String error, String detail, String scope, long retryAfterSeconds)
            implements Verdict {
    }

    /**
     * What one reading of {@code security.json} puts in force: swapped whole when the file changes, so
     * a request sees one configuration from start to end.
     */
    private record InForce(SecurityConfig config, OAuthTokens oauth, String resource, boolean anonymousAllowed,
            Principal anonymous, Principal admin, Map<ApiKeys.Key, Principal> keyPrincipals, byte[] metadata) {
    }

    private static final Logger LOG = Logger.getLogger(Security.class.getName());
    private static final long WATCH_MILLIS = 200;

    private final Path configDir;
    private final Path dataDir;
    private final ObjectMapper json;
    private final boolean loopback;
    private final boolean insecure;
    private final ApiKeys keys;
    private final AuditLog audit;
    private final byte[] adminKeyDigest;
    private final RateCounters counters;
    private final KeyManagement keyManagement;
    /** Entries only some roles may see (an upstream's {@code requiredRole}); every principal built here is gated. */
    private final RoleGates gates = RoleGates.create();
    private volatile InForce now;
    private volatile String configProblem;
    private byte[] configRead;
    private ScheduledExecutorService watch;

    private Security(Path configDir, Path dataDir, ObjectMapper json, boolean loopback, boolean insecure,
            SecurityConfig config, ApiKeys keys, AuditLog audit, String adminKey, RateCounters counters) {
        this.configDir = configDir;
        this.dataDir = dataDir;
        this.json = json;
        this.loopback = loopback;
        this.insecure = insecure;
        this.keys = keys;
        this.audit = audit;
        this.adminKeyDigest = adminKey == null ? null : ApiKeys.digest(adminKey).getBytes(StandardCharsets.US_ASCII);
        this.counters = counters;
        this.now = inForce(config, null);
        this.keyManagement = new KeyManagement(keys, this::roles, audit);
    }

    /** Builds what a configuration puts in force, keeping the token validator (and its keys) when OAuth is unchanged. */
    private InForce inForce(SecurityConfig config, InForce before) {
        if (!loopback && !config.present() && !insecure) {
            throw new IllegalArgumentException("refusing to serve on a non-loopback address without security:"
                    + " anyone who reaches the port could call every tool. Configure " + configDir.resolve(
                            SecurityConfig.FILE) + " (API keys, an OAuth issuer; see docs/security.md), or pass"
                    + " --insecure (security.insecure=true) to serve anonymous callers anyway");
        }
        String resource = config.resource() != null ? config.resource()
                : config.oauth() != null ? config.oauth().audience() : null;
        if (config.oauth() != null && resource == null) {
            throw new IllegalArgumentException(SecurityConfig.FILE + ": 'resource' is required with 'oauth': this"
                    + " server's URI as clients reach it, such as https://mcp.example.com/mcp (tokens must name it"
                    + " as their audience)");
        }
        if (resource != null) {
            try {
                URI r = new URI(resource);
                if (r.getScheme() == null || r.getRawAuthority() == null) {
                    throw new URISyntaxException(resource, "not absolute");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(SecurityConfig.FILE + ": 'resource' must be an absolute URI such as"
                        + " https://mcp.example.com/mcp");
            }
        }
        OAuthTokens oauth = null;
        if (config.oauth() != null) {
            String audience = config.oauth().audience() != null ? config.oauth().audience() : resource;
            oauth = before != null && before.oauth() != null && config.oauth().equals(before.config().oauth())
                    && audience.equals(before.oauth().audience()) ? before.oauth()
                    : new OAuthTokens(config.oauth(), audience);
        }
        Principal anonymous = new Principal(Principal.ANONYMOUS, Principal.LOCAL.roles(),
                Principal.LOCAL.rights().gatedBy(gates, Principal.LOCAL.roles()),
                "local", config.limits().limiter(counters, "local"));
        Principal admin = new Principal("admin", Set.of(Roles.ADMIN), Rights.ALL, "admin-key",
                config.limits().limiter(counters, "admin-key"));
        boolean anonymousAllowed = insecure || (loopback && !config.requireCredentials());
        InForce built = new InForce(config, oauth, resource, anonymousAllowed, anonymous, admin,
                new ConcurrentHashMap<>(), null);
        return config.oauth() == null ? built : new InForce(config, oauth, resource, anonymousAllowed, anonymous,
                admin, built.keyPrincipals(), metadataJson(built));
    }

    /**
     * Builds the layer.
     *
     * @param configDir where {@code security.json} is
     * @param dataDir where the API keys and (by default) the audit log are
     * @param adminKey the admin key (a credential with role {@code admin}), or null
     * @param loopback whether the server binds a loopback address only
     * @param insecure whether the operator asked to serve anonymous callers on any address
     * @throws IllegalArgumentException for a wrong {@code security.json}, or a non-loopback bind without
     *     security configured and without {@code insecure}
     */
    public static Security create(Path configDir, Path dataDir, ObjectMapper json, String adminKey, boolean loopback,
            boolean insecure) {
        byte[] read = readFile(configDir);
        SecurityConfig config = SecurityConfig.load(configDir, json, Secrets.of(configDir));
        Security security = new Security(configDir, dataDir, json, loopback, insecure, config,
                new ApiKeys(dataDir, json), new AuditLog(dataDir.resolve(config.auditFile()), json), adminKey,
                new SharedCounters());
        security.configRead = read;
        return security;
    }

    /**
     * Follows {@code security.json} from now on: every {@value #WATCH_MILLIS} ms its content is compared
     * with what was read, and a changed file is put in force for the next request (roles, rights, rate
     * limits, OAuth settings, the audit file). A file that cannot be used is logged and named by
     * {@link #configProblem()}, and the configuration read before stays in force.
     */
    public synchronized void watchConfig() {
        if (watch == null) {
            watch = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("security-config-watch").unstarted(r));
            watch.scheduleWithFixedDelay(this::reloadIfChanged, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Reads {@code security.json} again if its content changed, and puts it in force; a file that cannot
     * be used leaves the configuration in force as it was.
     *
     * @return whether a new configuration is in force
     */
    public synchronized boolean reloadIfChanged() {
        byte[] content = readFile(configDir);
        if (Arrays.equals(content, configRead)) {
            return false;
        }
        configRead = content;
        try {
            SecurityConfig config = SecurityConfig.load(configDir, json, Secrets.of(configDir));
            InForce next = inForce(config, now);
            audit.moveTo(dataDir.resolve(config.auditFile()));
            now = next;
            configProblem = null;
            LOG.info(() -> "Applied " + configDir.resolve(SecurityConfig.FILE) + (config.present() ? ""
                    : " (removed: the defaults are in force)"));
            return true;
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            configProblem = e.getMessage();
            LOG.warning(() -> e.getMessage() + "; the security configuration read before stays in force");
            return false;
        }
    }

    /**
     * Why the current {@code security.json} is not in force (the configuration read before is), or null
     * when it is.
     */
    public String configProblem() {
        return configProblem;
    }

    private static byte[] readFile(Path configDir) {
        try {
            return Files.readAllBytes(configDir.resolve(SecurityConfig.FILE));
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            return ("unreadable: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Shares rate counters and API-key revocations with the other nodes (called once, at start,
     * when a shared store is configured).
     */
    public void share(SharedSecurity shared) {
        if (counters instanceof SharedCounters s) {
            s.use(shared.counters());
        }
        keys.onRevoked(shared::revoke);
        shared.onRevoked(keys::revokedElsewhere);
    }

    /**
     * The catalogue entries that need a role (an upstream's {@code requiredRole}): the tool groups
     * set them, and every principal this layer admits over HTTP is checked against them.
     */
    public RoleGates gates() {
        return gates;
    }

    /** The API keys. */
    public ApiKeys keys() {
        return keys;
    }

    /** Creating, listing and revoking API keys, as every door does it. */
    public KeyManagement keyManagement() {
        return keyManagement;
    }

    /** The audit log. */
    public AuditLog audit() {
        return audit;
    }

    /** The roles (built-in and custom) in force now. */
    public Roles roles() {
        return now.config().roles();
    }

    /** Whether requests without a credential are served (as the local user). */
    public boolean anonymousAllowed() {
        return now.anonymousAllowed();
    }

    /**
     * Who a request acts for.
     *
     * @param authorization the {@code Authorization} header, or null
     */
    public Verdict authenticate(String authorization) {
        InForce in = now;
        if (authorization == null || authorization.isBlank()) {
            return in.anonymousAllowed() ? new Pass(in.anonymous())
                    : new Refusal(401, null, "this server needs a credential: send 'Authorization: Bearer <token>'"
                            + " with an API key" + (in.oauth() == null ? "" : " or an OAuth access token"), null, 0);
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.regionMatches(true, 0, "Bearer", 0, space) || space != 6) {
            return new Refusal(401, "invalid_request", "send the credential as 'Authorization: Bearer <token>'",
                    null, 0);
        }
        String token = value.substring(space + 1).strip();
        if (token.startsWith(ApiKeys.PREFIX)) {
            ApiKeys.Key key = keys.find(token).orElse(null);
            if (key == null) {
                return new Refusal(401, "invalid_token", "the API key is not valid (unknown or revoked)", null, 0);
            }
            if (key.expiredAt(Instant.now())) {
                return new Refusal(401, "invalid_token", "the API key has expired", null, 0);
            }
            Principal known = in.keyPrincipals().get(key);
            return new Pass(known != null ? known : principalOf(in, key));
        }
        if (adminKeyDigest != null && MessageDigest.isEqual(adminKeyDigest,
                ApiKeys.digest(token).getBytes(StandardCharsets.US_ASCII))) {
            return new Pass(in.admin());
        }
        if (in.oauth() != null && OAuthTokens.looksLikeJwt(token)) {
            SecurityConfig config = in.config();
            OAuthTokens.Token valid;
            try {
                valid = in.oauth().validate(token);
            } catch (OAuthTokens.Invalid e) {
                return new Refusal(401, "invalid_token", e.getMessage(), null, 0);
            }
            List<String> roles = new ArrayList<>();
            valid.scopes().forEach(s -> roles.addAll(config.oauth().scopes().getOrDefault(s, List.of())));
            if (roles.isEmpty()) {
                return new Refusal(403, "insufficient_scope", "the token has none of the scopes this server accepts",
                        scopesFor(in, Operation.CATALOG), 0);
            }
            String name = valid.subject();
            return new Pass(new Principal(name, new LinkedHashSet<>(roles),
                    config.roles().rightsOf(roles).gatedBy(gates, Set.copyOf(roles)),
                    "oauth:" + name, config.limits().limiter(counters, "oauth:" + name)));
        }
        return new Refusal(401, "invalid_token", "the credential is not valid", null, 0);
    }

    /** Whether a principal may do an operation: a pass, or a 401 (anonymous) or 403 refusal. */
    public Verdict authorize(Principal principal, Operation operation) {
        if (principal.rights().may(operation)) {
            return new Pass(principal);
        }
        if (principal.credential().equals("local")) {
            return new Refusal(401, null, "this operation needs a credential with the " + operation.wireName()
                    + " right: send 'Authorization: Bearer <key>' (the admin key is in <data>/admin.key)", null, 0);
        }
        if (principal.credential().startsWith("oauth:")) {
            return new Refusal(403, "insufficient_scope", "the token's scopes do not allow " + operation.wireName()
                    + " operations", scopesFor(now, operation), 0);
        }
        return new Refusal(403, null, "the credential's role does not allow " + operation.wireName() + " operations",
                null, 0);
    }

    /**
     * Counts one request of a principal against its credential's request limit.
     *
     * @return null when admitted, else a 429 refusal
     */
    public Refusal takeRequest(Principal principal) {
        RateLimits limits = now.config().limits();
        long wait = limits.takeRequest(counters, principal.credential());
        return wait == 0 ? null : new Refusal(429, null, "rate limit reached: at most "
                + limits.perCredential().requests() + " requests per "
                + limits.perCredential().interval().toSeconds() + " s for this credential", null, wait);
    }

    /** The {@code WWW-Authenticate} value of a 401 or 403. */
    public String challenge(Refusal refusal) {
        InForce in = now;
        StringBuilder b = new StringBuilder("Bearer realm=\"plugboard\"");
        if (in.metadata() != null) {
            b.append(", resource_metadata=\"").append(metadataUrl(in.resource())).append('"');
        }
        if (refusal.error() != null) {
            b.append(", error=\"").append(refusal.error()).append('"');
            b.append(", error_description=\"").append(refusal.detail().replace("\"", "'")).append('"');
        }
        if (refusal.scope() != null) {
            b.append(", scope=\"").append(refusal.scope()).append('"');
        }
        return b.toString();
    }

    /** Whether a request path is the protected-resource metadata (RFC 9728), answered with {@link #metadata()}. */
    public static boolean isMetadataPath(String path) {
        return path.equals("/.well-known/oauth-protected-resource")
                || path.startsWith("/.well-known/oauth-protected-resource/");
    }

    /** The protected-resource metadata document, or null when no OAuth issuer is configured. */
    public byte[] metadata() {
        byte[] metadata = now.metadata();
        return metadata == null ? null : metadata.clone();
    }

    /** The URL of the metadata document for this server's resource URI. */
    static String metadataUrl(String resource) {
        URI r = URI.create(resource);
        String path = r.getRawPath() == null || r.getRawPath().equals("/") ? "" : r.getRawPath();
        return r.getScheme() + "://" + r.getRawAuthority() + "/.well-known/oauth-protected-resource" + path;
    }

    /**
     * The admin check of the admin doors, over this layer: admits a principal whose role allows
     * {@link Operation#ADMIN}.
     */
    public AdminAccess adminAccess() {
        return authorization -> {
            Verdict v = authenticate(authorization);
            if (v instanceof Pass p) {
                v = authorize(p.principal(), Operation.ADMIN);
            }
            return switch (v) {
                case Pass p -> new AdminAccess.Admitted(p.principal().name());
                case Refusal r -> new AdminAccess.Denied(r.status(), r.status() == 401 ? AdminAccess.DENIED_DETAIL
                        : r.detail(), challenge(r));
            };
        };
    }

    private static String scopesFor(InForce in, Operation operation) {
        SecurityConfig config = in.config();
        Set<String> scopes = new LinkedHashSet<>();
        config.oauth().scopes().forEach((scope, roles) -> {
            if (config.roles().rightsOf(roles).may(operation)) {
                scopes.add(scope);
            }
        });
        return String.join(" ", scopes);
    }

    private Principal principalOf(InForce in, ApiKeys.Key key) {
        Map<ApiKeys.Key, Principal> cache = in.keyPrincipals();
        if (cache.size() > 10_000) {
            cache.clear();
        }
        SecurityConfig config = in.config();
        Rights rights = config.roles().rightsOf(key.roles());
        if (!key.tools().contains("*")) {
            rights = rights.narrowTools(new Globs(key.tools()));
        }
        Principal principal = new Principal(key.name(), Set.copyOf(key.roles()),
                rights.gatedBy(gates, Set.copyOf(key.roles())), "key:" + key.id(),
                config.limits().limiter(counters, "key:" + key.id()));
        cache.put(key, principal);
        return principal;
    }

    private byte[] metadataJson(InForce in) {
        ObjectNode doc = json.createObjectNode().put("resource", in.resource());
        doc.putArray("authorization_servers").add(in.config().oauth().issuer());
        var scopes = doc.putArray("scopes_supported");
        in.config().oauth().scopesSupported().forEach(scopes::add);
        doc.putArray("bearer_methods_supported").add("header");
        doc.put("resource_name", "Plugboard");
        try {
            return json.writeValueAsBytes(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (watch != null) {
                watch.shutdownNow();
            }
        }
        audit.close();
    }
}
