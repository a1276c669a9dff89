package dev.plugboard.tests.integration;

import static dev.plugboard.tests.integration.FixtureHost.HTTP;
import static dev.plugboard.tests.integration.FixtureHost.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins' HTTP routes (JAX-RS resources registered as whiteboard services) served by a real host:
 * JSON in and out, the caller the gate admitted, their own and the host's errors, the host's paths
 * kept from them, metrics, the security gate's access levels, and routes that come and go with
 * their bundle.
 */
class PluginRoutesTest {

    @TempDir
    Path root;

    @Test
    void aBundleServesRoutesThatLiveAndDieWithIt() throws Exception {
        try (FixtureHost host = FixtureHost.open(root, "fixture-hello-v1", "fixture-routes")) {
            int port = host.port();
            Eventually.await("the fixture's route", () -> status(port, "/fixture/greet/Ann") == 200);

            HttpResponse<String> open = get(port, "/fixture-public", null);
            assertThat(open.body()).isEqualTo("public page for anonymous");
            HttpResponse<String> greet = get(port, "/fixture/greet/Ann", null);
            assertThat(JSON.readTree(greet.body())).isEqualTo(JSON.readTree("{\"name\":\"Hello, Ann\",\"times\":1}"));
            HttpResponse<String> me = get(port, "/fixture/greet", null);
            assertThat(JSON.readTree(me.body()).get("name").asText()).isEqualTo("anonymous");
            assertThat(JSON.readTree(me.body()).get("caller").asText()).isEqualTo("anonymous");

            HttpResponse<String> echo = post(port, "/fixture/greet", "{\"name\":\"Bo\",\"times\":3}", null);
            assertThat(echo.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(echo.body()).get("times").asInt()).isEqualTo(6);

            // The route's own refusal keeps its body; the host's refusals are problem documents.
            HttpResponse<String> own = post(port, "/fixture/greet", "{\"name\":\"Bo\",\"times\":-1}", null);
            assertThat(own.statusCode()).isEqualTo(422);
            assertThat(JSON.readTree(own.body()).at("/error/message").asText()).isEqualTo("times must not be negative");
            HttpResponse<String> malformed = post(port, "/fixture/greet", "{\"name\":", null);
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            HttpResponse<String> bug = get(port, "/fixture/greet/broken/now", null);
            assertThat(bug.statusCode()).isEqualTo(500);
            assertThat(bug.body()).contains("Internal error").doesNotContain("Exception").doesNotContain("dev.plugboard");
            HttpResponse<String> method = HTTP.send(HttpRequest.newBuilder(uri(port, "/fixture/greet/Ann"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(method.statusCode()).isEqualTo(405);
            assertThat(get(port, "/fixture/greet/a/b/c", null).statusCode()).isEqualTo(404);

            // A route under the host's own paths is never served.
            HttpResponse<String> tools = get(port, "/api/v1/tools", null);
            assertThat(tools.statusCode()).isEqualTo(200);
            assertThat(tools.body()).doesNotContain("hijacked").contains("hello");

            // The routes are in the OpenAPI document, at the server's root, tagged with their bundle.
            JsonNode openapi = JSON.readTree(get(port, "/api/v1/openapi.json", null).body());
            assertThat(openapi.at("/paths/~1fixture~1greet~1{name}/get/tags/0").asText())
                    .isEqualTo("dev.plugboard.fixtures.routes");
            assertThat(openapi.at("/paths/~1fixture~1greet/post/requestBody/content").has("application/json")).isTrue();
            assertThat(openapi.at("/paths/~1fixture-admin/get").isObject()).isTrue();

            Scrape scrape = Scrape.of(port);
            assertThat(scrape.value("plugboard_http_plugin_requests_seconds_count",
                    Map.of("route", "/fixture/greet", "method", "GET", "status", "2xx"))).isGreaterThanOrEqualTo(3);
            assertThat(scrape.value("plugboard_http_plugin_requests_seconds_count",
                    Map.of("route", "/fixture/greet", "method", "POST", "status", "4xx"))).isEqualTo(2);

            host.host().undeploy("fixture-routes.jar");
            Eventually.await("the routes to leave with their bundle",
                    () -> status(port, "/fixture/greet/Ann") == 404 && status(port, "/fixture-public") == 404);
            assertThat(get(port, "/api/v1/openapi.json", null).body()).doesNotContain("/fixture/greet");
            host.host().deploy("fixture-routes", "fixture-routes.jar");
            Eventually.await("the route to come back", () -> status(port, "/fixture/greet/Ann") == 200);
        }
    }

    @Test
    void eachRouteAsksForTheAccessItDeclares() throws Exception {
        try (FixtureHost host = FixtureHost.keyed(root, "fixture-routes")) {
            int port = host.port();
            String admin = host.admin();
            String user = host.user();
            Eventually.await("the fixture's route", () -> status(port, "/fixture-public") == 200);

            assertThat(get(port, "/fixture-public", null).body()).isEqualTo("public page for anonymous");
            assertThat(get(port, "/fixture-public", user).body()).isEqualTo("public page for reader");
            HttpResponse<String> wrong = get(port, "/fixture-public", "Bearer pbk_nosuchkey");
            assertThat(wrong.statusCode()).isEqualTo(401);

            HttpResponse<String> anonymous = get(port, "/fixture/greet", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
            JsonNode me = JSON.readTree(get(port, "/fixture/greet", user).body());
            assertThat(me.get("name").asText()).isEqualTo("reader");
            assertThat(me.get("admin").asBoolean()).isFalse();

            assertThat(get(port, "/fixture-admin", user).statusCode()).isEqualTo(403);
            assertThat(get(port, "/fixture-admin", null).statusCode()).isEqualTo(401);
            // An admin route under a public one keeps its own access, however the path is spelled.
            for (String nested : List.of("/fixture-public/admin", "/fixture-public/admin;x=1", "/fixture-public;y/admin")) {
                assertThat(get(port, nested, null).statusCode()).as(nested).isEqualTo(401);
                assertThat(get(port, nested, user).statusCode()).as(nested).isEqualTo(403);
                assertThat(get(port, nested, admin).body()).as(nested).isEqualTo("nested admin secret");
            }

            HttpResponse<String> secret = get(port, "/fixture-admin", admin);
            assertThat(secret.statusCode()).isEqualTo(200);
            assertThat(secret.body()).isEqualTo("admin secret");
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The status of a GET without a credential, or -1 when the request fails. */
    private int status(int port, String path) {
        try {
            return get(port, path, null).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(port, path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(port, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
