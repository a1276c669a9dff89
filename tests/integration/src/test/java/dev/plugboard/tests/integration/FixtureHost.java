package dev.plugboard.tests.integration;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real host serving fixture bundles, with the {@code Authorization} values of its admin key and
 * of a user's key ({@code reader}, role {@code user}, every tool): the set-up of the tests of what
 * plugins add to the host's doors (their HTTP routes, their GraphQL fields).
 *
 * @param host the host
 * @param port its HTTP port
 * @param admin {@code Bearer} and the admin key
 * @param user {@code Bearer} and the user's key
 */
record FixtureHost(TestHost host, int port, String admin, String user) implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Starts a host with these bundles in its deploy folder, under {@code root}, open to loopback callers. */
    static FixtureHost open(Path root, String... bundles) throws Exception {
        return start(root, bundles);
    }

    /** Starts a host that asks every request for a credential ({@code requireCredentials} in {@code security.json}). */
    static FixtureHost keyed(Path root, String... bundles) throws Exception {
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/security.json"), "{\"requireCredentials\": true}");
        return start(root, bundles);
    }

    private static FixtureHost start(Path root, String... bundles) throws Exception {
        TestHost host = TestHost.start(root, Map.of(), bundles);
        try {
            String user = "Bearer " + host.host.security().keys().add("reader", List.of("user"), List.of("*"), null)
                    .secret();
            return new FixtureHost(host, host.host.port(), "Bearer " + host.adminKey(), user);
        } catch (Exception | Error e) {
            host.close();
            throw e;
        }
    }

    @Override
    public void close() {
        host.close();
    }
}
