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
 * Plugins' GraphQL extensions ({@code GraphqlExtension} services) served by a real host over real
 * HTTP: their fields beside the host's, the caller, typed errors without class names, the access
 * each field asks, metrics, broken extensions refused alone and named in {@code /health/ready} and
 * {@code /health}, and
 * fields that come and go with their bundle.
 */
class PluginGraphqlTest {

    @TempDir
    Path root;

    @Test
    void aBundleExtendsTheSchemaWhileItRuns() throws Exception {
        try (FixtureHost host = FixtureHost.open(root, "fixture-hello-v1", "fixture-graphql")) {
            int port = host.port();
            Eventually.await("the fixture's fields", () -> served(port));

            JsonNode greeting = query(port, "{ fixtureGreeting(name: \"Ann\") { text caller length } }", null);
            assertThat(greeting.path("errors").isMissingNode()).as(greeting.toString()).isTrue();
            assertThat(greeting.at("/data/fixtureGreeting")).isEqualTo(JSON.readTree(
                    "{\"text\":\"Hello, Ann\",\"caller\":\"anonymous\",\"length\":3}"));
            // the host's own fields are served beside them, in one document
            JsonNode both = query(port, "{ fixtureLater tools(limit: 5) { items { name } } }", null);
            assertThat(both.at("/data/fixtureLater").asText()).isEqualTo("later");
            assertThat(both.at("/data/tools/items").toString()).contains("hello");
            assertThat(query(port, "mutation { fixtureCount(by: 2) }", null).at("/data/fixtureCount").asInt()).isEqualTo(2);
            assertThat(query(port, "mutation { fixtureCount(by: 3) }", null).at("/data/fixtureCount").asInt()).isEqualTo(5);

            // typed errors: the plugin's own code and extensions, a bug as INTERNAL, never a class name
            JsonNode mine = query(port, "{ fixtureFail(kind: \"mine\") }", null);
            assertThat(mine.at("/errors/0/message").asText()).isEqualTo("no such greeting");
            assertThat(mine.at("/errors/0/extensions/code").asText()).isEqualTo("NOT_FOUND");
            assertThat(mine.at("/errors/0/path/0").asText()).isEqualTo("fixtureFail");
            JsonNode limit = query(port, "{ fixtureFail(kind: \"limit\") }", null);
            assertThat(limit.at("/errors/0/extensions")).isEqualTo(JSON.readTree(
                    "{\"code\":\"BUDGET_EXCEEDED\",\"budget\":\"fixture\",\"retryAfterSeconds\":60}"));
            JsonNode bug = query(port, "{ fixtureFail(kind: \"bug\") }", null);
            assertThat(bug.at("/errors/0/message").asText()).isEqualTo("Internal error");
            assertThat(bug.at("/errors/0/extensions/code").asText()).isEqualTo("INTERNAL");
            assertThat(bug.toString()).doesNotContain("Exception").doesNotContain("dev.plugboard");
            JsonNode missing = query(port, "{ fixtureGreeting { text } }", null);
            assertThat(missing.at("/errors/0/extensions/code").asText()).isEqualTo("GRAPHQL_VALIDATION_FAILED");

            // the schema document shows the extension under its bundle's name
            String sdl = get(port, "/graphql/schema.graphql").body();
            assertThat(sdl).contains("# From dev.plugboard.fixtures.graphql").contains("fixtureGreeting(name: String!)");

            // the broken extensions are refused alone, and named in the readiness report and in /health
            JsonNode ready = JSON.readTree(HTTP.send(host.host().fullReadiness(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(ready.path("ready").asBoolean()).isTrue();
            JsonNode report = null;
            for (JsonNode b : ready.path("bundles")) {
                if ("dev.plugboard.fixtures.graphql".equals(b.path("symbolicName").asText())) {
                    report = b;
                }
            }
            assertThat(report).isNotNull();
            assertThat(report.path("problems").toString()).contains("its GraphQL extension is not served")
                    .contains("does not parse");
            JsonNode part = JSON.readTree(get(port, "/health").body()).at("/parts/graphql");
            assertThat(part.path("status").asText()).isEqualTo("DEGRADED");
            assertThat(part.path("refused").size()).isEqualTo(2);
            assertThat(part.path("refused").toString()).contains("dev.plugboard.fixtures.graphql")
                    .contains("does not parse").contains("tools");
            assertThat(part.path("extensions").toString()).contains("Query.fixtureGreeting");
            assertThat(query(port, "{ fixtureClash }", null).at("/errors/0/extensions/code").asText())
                    .isEqualTo("GRAPHQL_VALIDATION_FAILED");
            assertThat(query(port, "{ tools(limit: 1) { items { name } } }", null).at("/data/tools/items").isArray())
                    .as("the host's own Query.tools is unchanged").isTrue();

            Scrape scrape = Scrape.of(port);
            assertThat(scrape.value("plugboard_graphql_plugin_fields_seconds_count", Map.of(
                    "field", "Mutation.fixtureCount", "bundle", "dev.plugboard.fixtures.graphql", "outcome", "ok")))
                    .isEqualTo(2);
            assertThat(scrape.value("plugboard_graphql_plugin_fields_seconds_count", Map.of(
                    "field", "Query.fixtureFail", "bundle", "dev.plugboard.fixtures.graphql", "outcome", "error")))
                    .isEqualTo(3);

            host.host().undeploy("fixture-graphql.jar");
            // the bundle's services go one by one: wait until the last, a refused one, is gone too
            Eventually.await("the fields and the refusals to leave with their bundle", () -> {
                try {
                    return !served(port) && JSON.readTree(get(port, "/health").body()).at("/parts/graphql/status")
                            .asText().equals("UP");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(query(port, "{ fixtureGreeting(name: \"Ann\") { text } }", null)
                    .at("/errors/0/extensions/code").asText()).isEqualTo("GRAPHQL_VALIDATION_FAILED");
            assertThat(get(port, "/graphql/schema.graphql").body()).doesNotContain("fixture");
            JsonNode after = JSON.readTree(get(port, "/health").body()).at("/parts/graphql");
            assertThat(after.path("status").asText()).isEqualTo("UP");
            assertThat(after.path("extensions").size()).isZero();
            assertThat(query(port, "{ tools(limit: 5) { items { name } } }", null).at("/data/tools/items").toString())
                    .contains("hello");

            host.host().deploy("fixture-graphql", "fixture-graphql.jar");
            Eventually.await("the fields to come back", () -> served(port));
        }
    }

    @Test
    void eachFieldAsksForTheAccessItDeclares() throws Exception {
        try (FixtureHost host = FixtureHost.keyed(root, "fixture-graphql")) {
            int port = host.port();
            String admin = host.admin();
            String user = host.user();
            Eventually.await("the fixture's fields", () -> {
                try {
                    return !query(port, "{ fixtureLater }", user).at("/data/fixtureLater").isMissingNode();
                } catch (Exception e) {
                    return false;
                }
            });

            HttpResponse<String> anonymous = post(port, "{ fixtureGreeting(name: \"Bo\") { caller } }", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(anonymous.body()).at("/errors/0/extensions/code").asText()).isEqualTo("UNAUTHENTICATED");

            assertThat(query(port, "{ fixtureGreeting(name: \"Bo\") { caller } }", user)
                    .at("/data/fixtureGreeting/caller").asText()).isEqualTo("reader");
            // one @admin field, and an extension whose every field asks for the admin
            for (String field : List.of("fixtureSecret", "fixtureAdminReport")) {
                JsonNode refused = query(port, "{ " + field + " }", user);
                assertThat(refused.at("/errors/0/extensions/code").asText()).as(field).isEqualTo("UNAUTHENTICATED");
                assertThat(refused.at("/data/" + field).isNull()).as(field).isTrue();
            }
            assertThat(query(port, "{ fixtureSecret }", admin).at("/data/fixtureSecret").asText())
                    .isEqualTo("fixture secret");
            assertThat(query(port, "{ fixtureAdminReport }", admin).at("/data/fixtureAdminReport").asText())
                    .startsWith("report for ");
        }
    }

    /** Whether the fixture's fields are in the schema served now. */
    private boolean served(int port) {
        try {
            return query(port, "{ fixtureLater }", null).at("/data/fixtureLater").isTextual();
        } catch (Exception e) {
            return false;
        }
    }

    private JsonNode query(int port, String query, String authorization) throws Exception {
        return JSON.readTree(post(port, query, authorization).body());
    }

    private HttpResponse<String> post(int port, String query, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query))));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
