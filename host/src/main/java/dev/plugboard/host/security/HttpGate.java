package dev.plugboard.host.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        if (!isMcp && Security.isMetadataPath(path)) {
            byte[] doc = security.metadata();
            if (doc == null) {
                send(response, 404, "application/problem+json", problem(404, "Not Found",
                        "no OAuth issuer is configured (security.json 'oauth')"), null);
            } else {
                response.setHeader("Access-Control-Allow-Origin", "*");
                send(response, 200, "application/json", doc, null);
            }
            return null;
        }
        Security.Verdict verdict = security.authenticate(request.getHeader("Authorization"));
        if (verdict instanceof Security.Pass pass) {
            Operation needed = operationOf(path);
            verdict = needed == null ? pass : security.authorize(pass.principal(), needed);
        }
        if (verdict instanceof Security.Refusal refusal) {
            String who = request.getHeader("Authorization") == null ? Principal.ANONYMOUS : "(credential refused)";
            security.audit().record(who, "-", request.getMethod().getMethodString() + " " + path, "denied",
                    refusal.detail());
            refuse(path, isMcp, response, refusal);
            return null;
        }
        Principal principal = ((Security.Pass) verdict).principal();
        Security.Refusal limited = security.takeRequest(principal);
        if (limited != null) {
            security.audit().record(principal.name(), principal.credential(), request.getMethod().getMethodString()
                    + " " + path, "rate-limited", limited.detail());
            refuse(path, isMcp, response, limited);
            return null;
        }
        Operation needed = operationOf(path);
        if (needed == Operation.ADMIN || needed == Operation.KEYS) {
            security.audit().record(principal.name(), principal.credential(), request.getMethod().getMethodString()
                    + " " + path, "admitted", null);
        }
        return principal;
    }

    /** The operation a path needs beyond authentication, or null (the catalogue's rights apply per entry). */
    static Operation operationOf(String path) {
        if (!path.startsWith(API)) {
            return null;
        }
        String rest = path.substring(API.length());
        if (under(rest, "modules") || under(rest, "config")) {
            return Operation.ADMIN;
        }
        if (under(rest, "keys") || under(rest, "audit")) {
            return Operation.KEYS;
        }
        return Operation.CATALOG;
    }

    private static boolean under(String rest, String segment) {
        return rest.equals(segment) || rest.startsWith(segment + "/") || rest.startsWith(segment + "?");
    }

    private void refuse(String path, boolean isMcp, Response response, Security.Refusal refusal) throws IOException {
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
                    .append(refusal.status() == 429 ? RATE_LIMITED_CODE : -32600).append(",\"message\":");
            quote(b, title + ": " + refusal.detail());
            if (refusal.status() == 429) {
                b.append(",\"data\":{\"retryAfterSeconds\":").append(refusal.retryAfterSeconds()).append('}');
            }
            send(response, refusal.status(), "application/json", b.append("}}").toString()
                    .getBytes(StandardCharsets.UTF_8), null);
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
                    .getBytes(StandardCharsets.UTF_8), null);
        } else {
            String kind = switch (refusal.status()) {
                case 401 -> "unauthorized";
                case 429 -> "rate-limited";
                default -> refusal.error() != null ? "insufficient-scope" : "forbidden";
            };
            send(response, refusal.status(), "application/problem+json", problem(refusal.status(), title,
                    refusal.detail(), kind), null);
        }
    }

    /** The JSON-RPC error code of a rate-limited request ({@code data.retryAfterSeconds} says when to retry). */
    public static final int RATE_LIMITED_CODE = -32029;

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

    private static void send(Response response, int status, String type, byte[] body, String unused)
            throws IOException {
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }
}
