package dev.plugboard.console.web;

import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.session.ConsoleSession;
import dev.plugboard.console.session.ConsoleSessions;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the console's pages share: sessions, the host's API, the precompiled templates, and the answers every
 * page gives (security headers, redirects to the login page, refusals of a missing CSRF token).
 */
public final class Console {

    /** The request property in which the host puts its own base URL (docs/http-routes.md). */
    private static final String SERVER_BASE = "dev.plugboard.server";

    /** The session cookie's name. */
    public static final String COOKIE = "pb_console";
    /** The prefix every console path starts with. */
    public static final String ROOT = "/console";

    /**
     * No inline script, style or handler anywhere: scripts and styles come from the bundle only; images and
     * audio of tool results are data URLs.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " media-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
            + " base-uri 'none'";

    private final ConsoleSessions sessions;
    private final HostApi api;
    private final TemplateEngine templates;
    private final Map<String, Notice> notices = new ConcurrentHashMap<>();

    public Console(ConsoleSessions sessions, HostApi api) {
        this.sessions = sessions;
        this.api = api;
        this.templates = precompiledTemplates();
    }

    /**
     * jte loads precompiled templates through the thread's context class loader, read once when the engine
     * is made, whatever loader it is given: inside OSGi that is not the bundle's, so it is set for that moment.
     */
    private static TemplateEngine precompiledTemplates() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Console.class.getClassLoader());
        try {
            return TemplateEngine.createPrecompiled(null, ContentType.Html, Console.class.getClassLoader(),
                    "dev.plugboard.console.templates");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    ConsoleSessions sessions() {
        return sessions;
    }

    HostApi api() {
        return api;
    }

    /**
     * The host's own root as this connection reached it (the server's address, never the Host header,
     * which the client chooses); the console's API calls go there.
     */
    static URI base(ContainerRequestContext request) {
        Object server = request.getProperty(SERVER_BASE);
        if (server == null) {
            throw new IllegalStateException("the host did not say its own address (" + SERVER_BASE + ")");
        }
        return URI.create(server.toString());
    }

    /** Renders a template to a string. */
    public String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        return out.toString();
    }

    /** A page (or fragment) with the security headers. */
    Response html(int status, String template, Map<String, Object> params) {
        return secured(Response.status(status).type("text/html; charset=utf-8").entity(render(template, params)))
                .build();
    }

    static Response.ResponseBuilder secured(Response.ResponseBuilder response) {
        return response.header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin").header("X-Frame-Options", "DENY")
                .header("Cache-Control", "no-store");
    }

    /** A 303 to a console path, as htmx follows it too. */
    static Response seeOther(String path, HttpHeaders headers) {
        if (headers != null && headers.getHeaderString("HX-Request") != null) {
            return secured(Response.ok().header("HX-Redirect", path)).build();
        }
        return secured(Response.seeOther(URI.create(path))).build();
    }

    /** The frame of a page for a session, taking the notice left by the last action. */
    Chrome chrome(String title, String section, ConsoleSession session) {
        Notice notice = session == null ? null : notices.remove(session.id());
        return new Chrome(title, section, session, notice == null ? null : notice.text(),
                notice != null && notice.ok());
    }

    /** Leaves a notice for the session's next page (the outcome of an action, after its redirect). */
    void notice(ConsoleSession session, String text, boolean ok) {
        notices.put(session.id(), new Notice(text, ok));
    }

    /** The page for a logged-in user, or the way to the login page. */
    Response page(String cookie, HttpHeaders headers, Function<ConsoleSession, Response> page) {
        Optional<ConsoleSession> session = sessions.find(cookie);
        if (session.isEmpty()) {
            return seeOther(ROOT + "/login", headers);
        }
        return page.apply(session.get());
    }

    /** An action of a logged-in user carrying the session's CSRF token (form field or header); else refused. */
    Response action(String cookie, HttpHeaders headers, String formToken, Function<ConsoleSession, Response> action) {
        Optional<ConsoleSession> session = sessions.find(cookie);
        if (session.isEmpty()) {
            return refused(401, "Your console session has ended. Log in again.");
        }
        String offered = formToken != null && !formToken.isEmpty() ? formToken
                : headers.getHeaderString("X-CSRF-Token");
        if (!ConsoleSessions.csrfMatches(session.get(), offered)) {
            return refused(403, "The request was refused: it did not carry this session's CSRF token."
                    + " Reload the page and try again.");
        }
        return action.apply(session.get());
    }

    /** A page saying why a request was refused. */
    Response refused(int status, String why) {
        return html(status, "refused.jte", Map.of("chrome", new Chrome("Refused", "", null, why, false)));
    }

    /** Forgets a logged-out session's notice. */
    void forget(String sessionId) {
        notices.remove(sessionId);
    }

    private record Notice(String text, boolean ok) {
    }
}
