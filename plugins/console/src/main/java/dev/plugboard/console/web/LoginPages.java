package dev.plugboard.console.web;

import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.session.ConsoleSession;
import dev.plugboard.console.session.ConsoleSessions;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;

/**
 * Login with an API key and logout. The key is checked by asking the host's API with it; the browser gets
 * only a random session id. The login form carries a token matched against a short-lived cookie (a login
 * CSRF guard), so another site cannot log a browser in with its own key.
 */
@Path(Console.ROOT)
public final class LoginPages {

    static final String LOGIN_COOKIE = "pb_console_login";

    private final Console console;

    public LoginPages(Console console) {
        this.console = console;
    }

    /** The console's entry: the overview, or the login page. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response root() {
        return Console.seeOther(Console.ROOT + "/overview", null);
    }

    /** The login form. */
    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@Context ContainerRequestContext uri) {
        return loginPage(200, null, uri);
    }

    /** Checks the key with the host and opens a session. */
    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response login(@FormParam("key") String key, @FormParam("csrf") String token,
            @CookieParam(LOGIN_COOKIE) String expected, @Context ContainerRequestContext uri) {
        if (expected == null || !ConsoleSessions.sameToken(expected, token == null ? "" : token)) {
            return loginPage(403, "The login form was stale or came from elsewhere. Try again.", uri);
        }
        String credential = key == null ? "" : key.strip();
        if (credential.isEmpty()) {
            return loginPage(400, "Enter an API key.", uri);
        }
        URI base = Console.base(uri);
        HostApi.Answer probe = console.api().get(base, credential, "/api/v1/tools?limit=1");
        if (probe.status() == 401 || probe.status() == 403) {
            return loginPage(401, "The host did not accept this key.", uri);
        }
        if (!probe.ok()) {
            return loginPage(502, "The host's API could not check the key: " + probe.problem(), uri);
        }
        boolean admin = console.api().get(base, credential, "/api/v1/modules").ok();
        boolean keys = console.api().get(base, credential, "/api/v1/keys").ok();
        ConsoleSession session = console.sessions().open(credential, who(credential, admin),
                new ConsoleSession.Rights(admin, keys));
        return Console.secured(Response.seeOther(URI.create(Console.ROOT + "/overview")))
                .header("Set-Cookie", cookie(COOKIE_VALUE.formatted(Console.COOKIE, session.id()), uri))
                .header("Set-Cookie", cookie(LOGIN_COOKIE + "=; Max-Age=0", uri)).build();
    }

    /** Ends the session. */
    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response logout(@CookieParam(Console.COOKIE) String cookie, @FormParam("csrf") String csrf,
            @Context HttpHeaders headers, @Context ContainerRequestContext uri) {
        return console.action(cookie, headers, csrf, session -> {
            console.sessions().close(session.id());
            console.forget(session.id());
            return Console.secured(Response.seeOther(URI.create(Console.ROOT + "/login")))
                    .header("Set-Cookie", cookie(Console.COOKIE + "=; Max-Age=0", uri)).build();
        });
    }

    private static final String COOKIE_VALUE = "%s=%s";

    private Response loginPage(int status, String error, ContainerRequestContext uri) {
        String token = console.sessions().token();
        Map<String, Object> params = Map.of("chrome", new Chrome("Log in", "login", null, error, false), "csrf",
                token);
        return Console.secured(Response.status(status).type("text/html; charset=utf-8")
                .entity(console.render("login.jte", params)))
                .header("Set-Cookie", cookie(LOGIN_COOKIE + "=" + token + "; Max-Age=900", uri)).build();
    }

    /** A console cookie: only for the console's paths, never readable by scripts, never sent cross-site. */
    static String cookie(String value, ContainerRequestContext uri) {
        boolean tls = "https".equalsIgnoreCase(uri.getUriInfo().getBaseUri().getScheme());
        return value + "; Path=" + Console.ROOT + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
    }

    private static String who(String credential, boolean admin) {
        if (credential.startsWith("pbk_")) {
            int end = credential.indexOf('_', 4);
            return "key " + (end > 4 ? credential.substring(4, end) : "…");
        }
        return admin ? "admin key" : "bearer token";
    }
}
