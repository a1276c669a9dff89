package dev.plugboard.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.catalog.CatalogItem;
import dev.plugboard.host.Plugboard;
import dev.plugboard.host.catalog.PublishedCatalog;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.deploy.BundleReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code plugboard check-bundle JAR...}: checks plugin jars before they are deployed. It reads each
 * manifest, then deploys the jars together into a host of this distribution that runs in temporary
 * folders without HTTP, and reports in plain words whether each bundle resolved against what the
 * host exports (and the other jars given), which tools, resources and prompts it offers, and whether
 * their schemas are valid.
 */
final class BundleCheck {

    private static final Pattern MISSING_PACKAGE = Pattern.compile(
            "osgi\\.wiring\\.package; \\(&\\(osgi\\.wiring\\.package=([^)]+)\\)(?:\\(version>=([^)]+)\\))?(?:\\(!\\(version>=([^)]+)\\)\\))?");
    private static final Pattern MISSING_CAPABILITY = Pattern.compile("missing requirement \\[.*?\\)\\] ([\\w.]+); (\\(.*?\\))(?: Unresolved|$)");

    private final ObjectMapper json = new ObjectMapper();
    private final PrintStream out;
    private int failures;

    private BundleCheck(PrintStream out) {
        this.out = out;
    }

    /** Checks the jars; returns 0 when every one is fine, 1 when something is wrong. */
    static int run(Path home, List<Path> jars, PrintStream out) throws Exception {
        return new BundleCheck(out).check(home, jars);
    }

    private int check(Path home, List<Path> jars) throws Exception {
        List<Path> bundles = new ArrayList<>();
        for (Path jar : jars) {
            if (manifestIsSound(jar)) {
                bundles.add(jar);
            }
        }
        if (!bundles.isEmpty()) {
            deploy(home, bundles);
        }
        out.println(failures == 0 ? "OK: ready to deploy" : "NOT OK: " + failures + " problem(s); see above");
        return failures == 0 ? 0 : 1;
    }

    private boolean manifestIsSound(Path jar) {
        out.println(jar + ":");
        if (!Files.isRegularFile(jar)) {
            return fail("there is no such file");
        }
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        } catch (IOException e) {
            return fail("it is not a jar (zip) file: " + e.getMessage());
        }
        if (manifest == null) {
            return fail("it has no META-INF/MANIFEST.MF, so it is not an OSGi bundle. Build it with bnd-maven-plugin "
                    + "(goal bnd-process) and have maven-jar-plugin use target/classes/META-INF/MANIFEST.MF");
        }
        Attributes main = manifest.getMainAttributes();
        String name = main.getValue("Bundle-SymbolicName");
        if (name == null) {
            return fail("its manifest has no Bundle-SymbolicName, so it is not an OSGi bundle. Build it with "
                    + "bnd-maven-plugin (goal bnd-process) and have maven-jar-plugin use target/classes/META-INF/MANIFEST.MF");
        }
        ok("bundle " + name.split(";")[0] + " " + main.getValue("Bundle-Version"));
        if (main.getValue("Service-Component") == null) {
            note("it declares no Declarative Services component (no Service-Component header), so it offers no tools, "
                    + "resources or prompts; a library bundle needs none");
        } else if (main.getValue("Require-Capability") == null
                || !main.getValue("Require-Capability").contains("dev.plugboard.host")) {
            note("no component is marked @McpProvider (no requirement on dev.plugboard.host), so Plugboard will not "
                    + "look for tools in it");
        }
        return true;
    }

    private void deploy(Path home, List<Path> bundles) throws Exception {
        Path root = Files.createTempDirectory("plugboard-check-");
        try {
            Path deploy = Files.createDirectories(root.resolve("bundles"));
            for (Path b : bundles) {
                Files.copy(b, deploy.resolve(b.getFileName()));
            }
            Map<String, String> settings = new HashMap<>();
            settings.put("paths.bundles", deploy.toString());
            settings.put("paths.data", root.resolve("data").toString());
            HostConfig config = HostConfig.load(home, home.resolve("config"), settings);
            LogSetup.configure("SEVERE", null);
            try (Plugboard host = Plugboard.start(config, false);
                 PublishedCatalog catalog = new PublishedCatalog(host.catalog())) {
                List<CatalogItem> items = catalog.items();
                for (Path b : bundles) {
                    report(b.getFileName().toString(), host, items);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void report(String file, Plugboard host, List<CatalogItem> items) {
        out.println(file + " in a Plugboard " + Plugboard.version() + " host:");
        BundleReport r = host.readiness().bundles().stream().filter(b -> b.file().equals(file)).findFirst().orElse(null);
        if (r == null) {
            fail("the host did not pick it up");
            return;
        }
        if (r.error() != null || "FAILED".equals(r.state()) || "INSTALLED".equals(r.state())) {
            fail(explain(r.error() == null ? "it did not start (state " + r.state() + ")" : r.error()));
            return;
        }
        ok("resolves and starts (state " + r.state() + ")");
        r.problems().forEach(this::fail);
        List<CatalogItem> mine = items.stream().filter(i -> r.symbolicName() != null && r.symbolicName().equals(i.bundle()))
                .toList();
        for (CatalogItem item : mine) {
            String what = item.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " " + item.name()
                    + (item.kind() == CatalogItem.Kind.TOOL || item.kind() == CatalogItem.Kind.PROMPT ? "" : " (" + item.key() + ")");
            if (item.inputSchema() == null) {
                ok(what);
                continue;
            }
            String schemaProblem = schemaProblem(item.inputSchema());
            if (schemaProblem == null) {
                ok(what + ": input schema valid");
            } else {
                fail(what + ": " + schemaProblem);
            }
        }
        if (mine.isEmpty()) {
            note("it offers no tools, resources or prompts");
        }
    }

    /** A plain-words reason for a resolution error, or the host's own message. */
    static String explain(String error) {
        Matcher m = MISSING_PACKAGE.matcher(error);
        if (m.find()) {
            String range = m.group(2) == null ? "" : " at version " + m.group(2) + (m.group(3) == null ? " or newer" : " up to (not including) " + m.group(3));
            return "it imports the package " + m.group(1) + range + ", which neither the host nor any other jar given "
                    + "exports. If it is a third-party library, embed it in the bundle (bnd: -conditionalpackage) or "
                    + "deploy the library's own bundle beside it; if it is the Plugboard API, the bundle was built "
                    + "against a newer API than this host has";
        }
        Matcher c = MISSING_CAPABILITY.matcher(error);
        if (c.find()) {
            return "it requires the capability " + c.group(1) + " " + c.group(2) + ", which neither the host nor any "
                    + "other jar given provides";
        }
        return error;
    }

    private String schemaProblem(String schema) {
        JsonNode node;
        try {
            node = json.readTree(schema);
        } catch (IOException e) {
            return "its input schema is not valid JSON";
        }
        if (!node.isObject() || !"object".equals(node.path("type").asText())) {
            return "its input schema must be a JSON Schema object with \"type\": \"object\"";
        }
        return null;
    }

    private void ok(String message) {
        out.println("  ok    " + message);
    }

    private void note(String message) {
        out.println("  note  " + message);
    }

    private boolean fail(String message) {
        failures++;
        out.println("  WRONG " + message);
        return false;
    }
}
