package dev.plugboard.host.security;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.plugboard.host.admin.AdminAccess;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The security layer at the HTTP front door: every request but the health probes passes it before
 * it is routed (MCP, REST including its Jersey-free tool calls, GraphQL, the admin API, the OpenAPI
 * document). It authenticates the request once, checks the operation its path needs, counts it
 * against its credential's rate limit, and answers refusals in the door's own form: a JSON-RPC error
 * on {@code /mcp}, a GraphQL error on {@code /graphql}, a problem document elsewhere; 401 and 403
 * carry {@code WWW-Authenticate}, 429 {@code Retry-After}. It also serves the protected-resource
 * metadata (RFC 9728). Denials and admin requests go to the audit log.
 */
public final class HttpGate {

    private static final String API = "/api/v1/";

    /** Who a public route's request without a credential acts for when the server asks for one: no rights at all. */
    private static final Principal NOBODY = new Principal(Principal.ANONYMOUS, java.util.Set.of(), Rights.NONE,
            "anonymous", CallLimiter.NONE);

    private final Security security;

    /** A gate over the layer. */
    public HttpGate(Security security) {
        this.security = security;
    }

    /**
     * Admits a request or answers it.
     *
     * @param path the request path as sent
     * @param isMcp whether it is {@code /mcp}
     * @return the principal the request acts for, or null when this gate answered it (a refusal, or
     *     the metadata document)
     */
    public Principal admit(String path, boolean isMcp, Request request, Response response) throws IOException {
        if (!isMcp && path.startsWith("/health/")) {
            return Principal.LOCAL;
        }
        if (isMcp && request.getMethod() == Method.OPTIONS) {
            // A browser's CORS preflight carries no credential; it only learns which headers it may send.
            return Principal.LOCAL;
        }
        if (!isMcp && Security.isMetadataPath(path)) {
            byte[] doc = security.metadata();
            if (doc == null) {
                send(response, 404, "application/problem+json", problem(404, "Not Found",
                        "no OAuth issuer is configured (security.json 'oauth')"));
            } else {
                response.setHeader("Access-Control-Allow-Origin", "*");
                send(response, 200, "application/json", doc);
            }
            return null;
        }
        return admit(path, isMcp, operationOf(path), false, request, response);
    }

    /**
     * Admits a request to a plugin's HTTP route or answers it.
     *
     * @param path the request path as sent
     * @param needed the operation the route asks beyond authentication; empty for a public route,
     *     which a request without a credential may reach (a wrong credential is still refused)
     * @return the principal the request acts for, or null when this gate answered it
     */
    public Principal admitRoute(String path, java.util.Optional<Operation> needed, Request request, Response response)
            throws IOException {
        return admit(path, false, needed.orElse(null), needed.isEmpty(), request, response);
    }

    private Principal admit(String path, boolean isMcp, Operation needed, boolean open, Request request,
            Response response) throws IOException {
        String authorization = request.getHeader("Authorization");
        Security.Verdict verdict = open && authorization == null ? security.authenticate(null) : null;
        if (verdict instanceof Security.Refusal) {
            verdict = new Security.Pass(NOBODY);
        } else if (verdict == null) {
            verdict = security.authenticate(authorization);
        }
        Principal known = verdict instanceof Security.Pass pass ? pass.principal() : null;
        if (known != null && needed != null) {
            verdict = security.authorize(known, needed);
        }
        if (verdict instanceof Security.Refusal refused) {
            // On the admin paths a missing credential and a wrong one cannot be told apart.
            Security.Refusal refusal = refused.status() == 401 && (needed == Operation.ADMIN || needed == Operation.KEYS)
                    ? new Security.Refusal(401, null, AdminAccess.DENIED_DETAIL, null, 0) : refused;
            security.audit().record(known != null ? known.name() : request.getHeader("Authorization") == null
                    ? Principal.ANONYMOUS : "(credential refused)", known != null ? known.credential() : "-",
                    what(request, path),
                    "denied", refusal.detail());
            refuse(path, isMcp, request, response, refusal);
            return null;
        }
        Principal principal = known;
        Security.Refusal limited = security.takeRequest(principal);
        if (limited != null) {
            security.audit().record(principal.name(), principal.credential(), what(request, path), "rate-limited",
                    limited.detail());
            refuse(path, isMcp, request, response, limited);
            return null;
        }
        if (needed == Operation.ADMIN || needed == Operation.KEYS) {
            security.audit().record(principal.name(), principal.credential(), what(request, path), "admitted", null);
        }
        return principal;
    }

    /**
     * The principal a WebSocket upgrade acts for, when the gate would admit it as a request: its
     * {@code Authorization} header passes and its credential is within its request limit (one request
     * is counted). Null otherwise: the upgrade then goes on to the HTTP handler, where {@link #admit}
     * refuses it (401, 403 or 429) and audits it as it does any request.
     *
     * @param authorization the upgrade request's {@code Authorization} header, or null
     */
    public Principal admitUpgrade(String authorization) {
        Principal principal = security.authenticate(authorization) instanceof Security.Pass pass ? pass.principal()
                : null;
        return principal == null || security.takeRequest(principal) != null ? null : principal;
    }

    /**
     * Checks one request of a long-lived connection (a WebSocket) as each HTTP request is checked:
     * the credential its upgrade sent must still be valid (a key revoked or expired since is refused
     * with 401), and the request counts against the credential's request limit (429).
     *
     * @param authorization the upgrade request's {@code Authorization} header, or null
     * @return null when admitted, else the refusal, with its status, detail and the seconds to wait
     */
    public Security.Refusal takeMessage(Principal principal, String authorization) {
        if (authorization != null && !(security.authenticate(authorization) instanceof Security.Pass)) {
            return new Security.Refusal(401, "invalid_token",
                    "the connection's credential is no longer valid (revoked or expired)", null, 0);
        }
        return security.takeRequest(principal);
    }

    /**
     * Whether a request to the health probes gets their full report (errors and other text): its
     * credential holds the admin right. The probes are open to all, so nothing is refused, counted
     * or audited here.
     *
     * @param authorization the request's {@code Authorization} header, or null
     */
    public boolean seesHealthDetail(String authorization) {
        return security.adminAccess().check(authorization) instanceof AdminAccess.Admitted;
    }

    /**
     * Whether a credential is checked without waiting (no credential, an API key, the admin key, or an
     * access token seen before is a map lookup), so that the request may be handled on a network
     * thread; a token may need the issuer's keys fetched first, so a request bearing one that looks
     * like a JWT goes to a thread of its own.
     */
    public static boolean checksQuickly(String authorization) {
        return authorization == null || authorization.indexOf('.') < 0;
    }

    private static String what(Request request, String path) {
        return request.getMethod().getMethodString() + " " + path;
    }

    /** The operation a path needs beyond authentication, or null (the catalogue's rights apply per entry). */
    static Operation operationOf(String sent) {
        if (!sent.startsWith(API)) {
            return null; // the front door hands Jersey only paths spelled with this prefix
        }
        String path = canonical(sent);
        if (!path.startsWith(API)) {
            return null;
        }
        String rest = path.substring(API.length());
        if (under(rest, "modules") || under(rest, "config") || under(rest, "admin")) {
            return Operation.ADMIN;
        }
        if (under(rest, "keys") || under(rest, "audit")) {
            return Operation.KEYS;
        }
        return Operation.CATALOG;
    }

    /**
     * The path as Jersey matches it: percent-encodings decoded, matrix parameters ({@code ;x}) and
     * empty segments dropped, so that {@code /api/v1/%6Beys} or {@code /api/v1/keys;x} need the same
     * right as {@code /api/v1/keys}.
     */
    public static String canonical(String path) {
        String decoded;
        try {
            decoded = java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = path; // a malformed encoding is refused before routing
        }
        StringBuilder out = new StringBuilder();
        for (String segment : decoded.split("/")) {
            int matrix = segment.indexOf(';');
            String plain = matrix < 0 ? segment : segment.substring(0, matrix);
            if (!plain.isEmpty()) {
                out.append('/').append(plain);
            }
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    private static boolean under(String rest, String segment) {
        return rest.equals(segment) || rest.startsWith(segment + "/") || rest.startsWith(segment + "?");
    }

    private void refuse(String path, boolean isMcp, Request request, Response response, Security.Refusal refusal)
            throws IOException {
        if (request.getContentLengthLong() > 0 || request.getRequest().isChunked()) {
            // The body is not read: the connection cannot carry another request after it.
            response.setHeader("Connection", "close");
            response.getResponse().getProcessingState().setKeepAlive(false);
            request.getRequest().setContentBroken(true);
        }
        String title = switch (refusal.status()) {
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 429 -> "Too Many Requests";
            default -> "Refused";
        };
        if (refusal.status() == 401 || refusal.status() == 403) {
            response.setHeader("WWW-Authenticate", security.challenge(refusal));
        }
        if (refusal.status() == 429) {
            response.setHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
        }
        if (isMcp) {
            StringBuilder b = new StringBuilder("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":")
                    .append(refusal.status() == 429 ? ErrorCodes.RATE_LIMITED : ErrorCodes.INVALID_REQUEST).append(",\"message\":");
            quote(b, title + ": " + refusal.detail());
            if (refusal.status() == 429) {
                b.append(",\"data\":{\"retryAfterSeconds\":").append(refusal.retryAfterSeconds()).append('}');
            }
            send(response, refusal.status(), "application/json", b.append("}}").toString()
                    .getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/graphql") || path.startsWith("/graphql/")) {
            StringBuilder b = new StringBuilder("{\"errors\":[{\"message\":");
            quote(b, refusal.detail());
            b.append(",\"extensions\":{\"code\":\"").append(switch (refusal.status()) {
                case 401 -> "UNAUTHENTICATED";
                case 429 -> "RATE_LIMITED";
                default -> "FORBIDDEN";
            }).append('"');
            if (refusal.status() == 429) {
                b.append(",\"retryAfterSeconds\":").append(refusal.retryAfterSeconds());
            }
            send(response, refusal.status(), "application/json", b.append("}}]}").toString()
                    .getBytes(StandardCharsets.UTF_8));
        } else {
            String kind = switch (refusal.status()) {
                case 401 -> "unauthorized";
                case 429 -> "rate-limited";
                default -> refusal.error() != null ? "insufficient-scope" : "forbidden";
            };
            send(response, refusal.status(), "application/problem+json", problem(refusal.status(), title,
                    refusal.detail(), kind));
        }
    }

    private static byte[] problem(int status, String title, String detail) {
        return problem(status, title, detail, null);
    }

    private static byte[] problem(int status, String title, String detail, String kind) {
        StringBuilder b = new StringBuilder("{\"type\":");
        quote(b, kind == null ? "about:blank" : "https://plugboard.dev/problems/" + kind);
        quote(b.append(",\"title\":"), title).append(",\"status\":").append(status);
        quote(b.append(",\"detail\":"), detail);
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void send(Response response, int status, String type, byte[] body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        return b.append('"');
    }
}
