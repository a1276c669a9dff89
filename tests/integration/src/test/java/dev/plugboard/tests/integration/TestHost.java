package dev.plugboard.tests.integration;

import dev.plugboard.host.Plugboard;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.deploy.BundleReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A real Plugboard host (Felix, SCR, HTTP on a free loopback port) in temporary folders. */
final class TestHost implements AutoCloseable {

    final Path bundles;
    final Plugboard host;
    final URI mcp;
    private final Path data;

    private TestHost(Path bundles, Path data, Plugboard host) {
        this.bundles = bundles;
        this.data = data;
        this.host = host;
        this.mcp = URI.create("http://127.0.0.1:" + host.port() + "/mcp");
    }

    /** The jar of a fixture or first-party bundle, such as {@code fixture-hello-v1}. */
    static Path bundle(String name) {
        return Path.of(System.getProperty("plugboard.test.bundles"), name + ".jar");
    }

    static TestHost start(Path root, Map<String, String> settings, String... bundles) throws Exception {
        Path deploy = Files.createDirectories(root.resolve("bundles"));
        for (String b : bundles) {
            Files.copy(bundle(b), deploy.resolve(b + ".jar"));
        }
        Map<String, String> all = new HashMap<>();
        all.put("http.port", "0");
        all.put("paths.bundles", deploy.toString());
        all.put("paths.data", root.resolve("data").toString());
        all.put("paths.system", System.getProperty("plugboard.test.system"));
        all.put("deploy.pollMillis", "60000");
        // The production limit (30 s) is a safety net that DeployContainmentTest sets and tests itself; on a
        // loaded or slow machine a real bundle (the console) has taken more than 30 s to activate and was
        // then failed and stopped, failing a whole test class.
        all.put("deploy.activationTimeoutSeconds", "300");
        all.putAll(settings);
        HostConfig config = HostConfig.load(root, root.resolve("config"), all);
        return new TestHost(deploy, Path.of(all.get("paths.data")), Plugboard.start(config, true));
    }

    /** The admin key the host wrote at its first start. */
    String adminKey() throws IOException {
        return Files.readString(data.resolve("admin.key")).strip();
    }

    /**
     * A GET of {@code /health/ready} with the admin key: the full report, with the errors and other
     * text that callers without the admin right do not see.
     */
    HttpRequest fullReadiness() throws IOException {
        return HttpRequest.newBuilder(mcp.resolve("/health/ready")).header("Authorization", "Bearer " + adminKey())
                .build();
    }

    /** Copies a bundle into the deploy folder under the given file name (replacing what is there). */
    void deploy(String bundle, String fileName) throws IOException {
        Files.copy(bundle(bundle), bundles.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
    }

    void undeploy(String fileName) throws IOException {
        Files.delete(bundles.resolve(fileName));
    }

    Optional<BundleReport> report(String fileName) {
        return host.readiness().bundles().stream().filter(r -> r.file().equals(fileName)).findFirst();
    }

    boolean hasTool(String name) {
        return host.catalog().tool(name).isPresent();
    }

    @Override
    public void close() {
        host.close();
    }
}
