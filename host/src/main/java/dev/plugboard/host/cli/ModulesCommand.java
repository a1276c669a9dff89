package dev.plugboard.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code plugboard modules}: lists, installs, updates, starts, stops and removes the modules (bundles)
 * of a running server through its admin REST API.
 */
@Command(name = "modules", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Administer the modules (plugin bundles) of a running server over HTTP. Needs the admin key: "
                + "the server's <data>/admin.key, or --key-file.")
final class ModulesCommand {

    private static final String MODULES = "/api/v1/modules";

    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the modules with their state.")
    int list(@Mixin AdminOptions admin,
            @Option(names = "--json", description = "Print the server's JSON answer.") boolean asJson) {
        return admin.run(spec, client -> {
            JsonNode answer = client.get(MODULES);
            if (asJson) {
                out().println(answer.toPrettyString());
            } else {
                printTable(modulesOf(answer));
            }
        });
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one module as JSON.")
    int show(@Mixin AdminOptions admin, @Parameters(paramLabel = "NAME", description = "The module's name.") String name) {
        return admin.run(spec, client -> out().println(client.get(modulePath(name)).toPrettyString()));
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Upload a bundle jar; the server keeps it in its deploy folder and starts it.")
    int install(@Mixin AdminOptions admin, @Parameters(paramLabel = "FILE", description = "The bundle jar.") Path file) {
        return admin.run(spec, client -> report("installed", client.upload("POST", MODULES, read(file))));
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Replace a module with a new version of its jar.")
    int update(@Mixin AdminOptions admin, @Parameters(index = "0", paramLabel = "NAME", description = "The module's name.")
            String name, @Parameters(index = "1", paramLabel = "FILE", description = "The new bundle jar.") Path file) {
        return admin.run(spec, client -> report("updated", client.upload("PUT", modulePath(name), read(file)), name));
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a stopped module.")
    int start(@Mixin AdminOptions admin, @Parameters(paramLabel = "NAME", description = "The module's name.") String name) {
        return admin.run(spec, client -> report("started", client.post(modulePath(name) + "/start"), name));
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop a module; its tools, resources and prompts leave the catalogue.")
    int stop(@Mixin AdminOptions admin, @Parameters(paramLabel = "NAME", description = "The module's name.") String name) {
        return admin.run(spec, client -> report("stopped", client.post(modulePath(name) + "/stop"), name));
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Uninstall a module and delete its jar from the deploy folder.")
    int remove(@Mixin AdminOptions admin, @Parameters(paramLabel = "NAME", description = "The module's name.") String name) {
        return admin.run(spec, client -> report("removed", client.delete(modulePath(name)), name));
    }


    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private static String modulePath(String name) {
        return MODULES + "/" + AdminClient.segment(name);
    }

    private static byte[] read(Path file) throws HostOptions.Refused {
        if (!Files.isRegularFile(file)) {
            throw new HostOptions.Refused("there is no file " + file.toAbsolutePath());
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new HostOptions.Refused("cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    private void report(String done, JsonNode module) {
        report(done, module, null);
    }

    /** "installed NAME VERSION (STATE)", from the answer when it describes the module. */
    private void report(String done, JsonNode module, String asked) {
        JsonNode m = module.has("module") ? module.get("module") : module;
        String name = text(m, "name", "symbolicName");
        if (name.isEmpty()) {
            name = asked == null ? "" : asked;
        }
        String version = text(m, "version");
        String state = text(m, "state");
        out().println(done + " " + name + (version.isEmpty() ? "" : " " + version)
                + (state.isEmpty() ? "" : " (" + state + ")"));
    }

    /** The modules of a list answer: an array, or an object holding one under a usual name. */
    private static List<JsonNode> modulesOf(JsonNode answer) {
        JsonNode array = answer;
        for (String field : new String[] {"modules", "items", "data"}) {
            if (answer.path(field).isArray()) {
                array = answer.get(field);
            }
        }
        List<JsonNode> modules = new ArrayList<>();
        array.forEach(modules::add);
        return modules;
    }

    private void printTable(List<JsonNode> modules) {
        if (modules.isEmpty()) {
            out().println("no modules");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "VERSION", "STATE", "PROBLEM"});
        for (JsonNode m : modules) {
            rows.add(new String[] {text(m, "name", "symbolicName", "file"), text(m, "version"), text(m, "state"),
                problem(m)});
        }
        int[] widths = new int[3];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            out().println(String.format("%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s",
                    (Object[]) row).stripTrailing());
        }
    }

    /** The module's last error, else its other problems joined. */
    private static String problem(JsonNode module) {
        String error = text(module, "error", "lastError");
        if (!error.isEmpty() || !module.path("problems").isArray()) {
            return error;
        }
        List<String> problems = new ArrayList<>();
        module.get("problems").forEach(p -> problems.add(p.asText()));
        return String.join("; ", problems);
    }

    private static String text(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (value.isValueNode() && !value.isNull()) {
                return value.asText();
            }
            if (value.isObject() && value.has("message")) {
                return value.get("message").asText();
            }
        }
        return "";
    }
}
