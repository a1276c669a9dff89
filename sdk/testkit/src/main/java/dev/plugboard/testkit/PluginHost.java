package dev.plugboard.testkit;

import dev.plugboard.host.Plugboard;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.deploy.BundleReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A real Plugboard host in the test JVM: Apache Felix with Declarative Services, the protocol engine
 * and HTTP on a free loopback port, in a temporary folder that {@link #close()} deletes. Bundles are
 * deployed through the deploy folder, exactly as in the distribution.
 */
public final class PluginHost implements AutoCloseable {

    private static final String[] FRAMEWORK_BUNDLES = {
        "org.apache.felix.scr.impl.Activator", "org.apache.felix.cm.impl.Activator"};

    private final Path root;
    private final Path deploy;
    private final Plugboard host;

    private PluginHost(Path root, Path deploy, Plugboard host) {
        this.root = root;
        this.deploy = deploy;
        this.host = host;
    }

    /**
     * Starts a host with these bundle jars in its deploy folder, and checks that each started.
     *
     * @throws AssertionError when a bundle failed (it does not resolve, a component failed, a method
     *     could not become a tool), with the host's own explanation
     */
    public static PluginHost start(Path... bundles) throws Exception {
        return start(Map.of(), bundles);
    }

    /**
     * Starts a host with settings of {@code plugboard.properties} (such as
     * {@code tools.timeoutSeconds}) and these bundle jars deployed.
     */
    public static PluginHost start(Map<String, String> settings, Path... bundles) throws Exception {
        Path root = Files.createTempDirectory("plugboard-testkit-");
        Path deploy = Files.createDirectories(root.resolve("bundles"));
        Path system = Files.createDirectories(root.resolve("system"));
        for (String activator : FRAMEWORK_BUNDLES) {
            Path jar = jarOf(activator);
            Files.copy(jar, system.resolve(jar.getFileName()));
        }
        for (Path bundle : bundles) {
            Files.copy(bundle, deploy.resolve(bundle.getFileName()));
        }
        Map<String, String> all = new HashMap<>();
        all.put("http.port", "0");
        all.put("paths.bundles", deploy.toString());
        all.put("paths.data", root.resolve("data").toString());
        all.put("paths.system", system.toString());
        all.put("deploy.pollMillis", "100");
        all.put("log.level", "WARNING");
        all.putAll(settings);
        Plugboard host;
        try {
            host = Plugboard.start(HostConfig.load(root, root.resolve("config"), all), true);
        } catch (Exception | Error e) {
            deleteTree(root);
            throw e;
        }
        PluginHost started = new PluginHost(root, deploy, host);
        List<String> problems = started.problems();
        if (!problems.isEmpty()) {
            started.close();
            throw new AssertionError("the bundle did not deploy cleanly:\n  " + String.join("\n  ", problems));
        }
        return started;
    }

    /**
     * The bundle of the project under test, built from {@code target/classes} with the manifest that
     * bnd wrote there ({@code bnd-process} runs before the tests in the Maven build).
     */
    public static Path projectBundle() {
        return bundleOf(Path.of("target", "classes"));
    }

    /** A bundle jar (in a temporary folder) of a class folder that holds {@code META-INF/MANIFEST.MF}. */
    public static Path bundleOf(Path classes) {
        Path manifestFile = classes.resolve("META-INF/MANIFEST.MF");
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalStateException(manifestFile.toAbsolutePath() + " is missing: bnd-maven-plugin's bnd-process "
                    + "goal writes it; run the tests through Maven (mvn test), after process-classes");
        }
        try (InputStream in = Files.newInputStream(manifestFile)) {
            Manifest manifest = new Manifest(in);
            String name = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (name == null) {
                throw new IllegalStateException(manifestFile.toAbsolutePath() + " has no Bundle-SymbolicName: not a bundle manifest");
            }
            Path jar = Files.createTempDirectory("plugboard-testkit-bundle-").resolve(name.split(";")[0].trim() + ".jar");
            try (OutputStream out = Files.newOutputStream(jar);
                 JarOutputStream zip = new JarOutputStream(out, manifest);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String entry = classes.relativize(file).toString().replace('\\', '/');
                    if (entry.equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    zip.putNextEntry(new JarEntry(entry));
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
            jar.toFile().deleteOnExit();
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build a bundle of " + classes, e);
        }
    }

    /** The MCP endpoint, {@code http://127.0.0.1:PORT/mcp}. */
    public URI mcpUri() {
        return URI.create("http://127.0.0.1:" + host.port() + "/mcp");
    }

    /** A new client with an initialized session and an open notification stream. */
    public McpTestClient connect() {
        McpTestClient client = new McpTestClient(mcpUri());
        client.open();
        return client;
    }

    /**
     * Copies a jar into the deploy folder (written aside, then moved in one step), replacing a file of
     * the same name: the host installs or updates it within a fraction of a second.
     */
    public void deploy(Path jar, String fileName) throws IOException {
        Path aside = root.resolve("." + fileName + ".part");
        Files.copy(jar, aside, StandardCopyOption.REPLACE_EXISTING);
        Files.move(aside, deploy.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes a jar from the deploy folder: the host uninstalls it. */
    public void remove(String fileName) throws IOException {
        Files.delete(deploy.resolve(fileName));
    }

    /** What is wrong with the deployed jars, one plain sentence each; empty when all is well. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (BundleReport r : host.readiness().bundles()) {
            if (r.error() != null || "FAILED".equals(r.state())) {
                problems.add(r.file() + ": " + r.state() + (r.error() == null ? "" : ": " + r.error()));
            }
            r.problems().forEach(p -> problems.add(r.file() + ": " + p));
        }
        return problems;
    }

    /** The running host, for what the client cannot see (its catalogue, its readiness report). */
    public Plugboard host() {
        return host;
    }

    /** Stops the host and deletes its folder. */
    @Override
    public void close() {
        host.close();
        deleteTree(root);
    }

    private static Path jarOf(String className) {
        try {
            Class<?> anchor = Class.forName(className, false, PluginHost.class.getClassLoader());
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the framework bundle holding " + className + " is not on the test class path; "
                    + "depend on dev.plugboard:plugboard-testkit, which brings it", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder the OS cleans eventually
        }
    }
}
