package dev.plugboard.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code plugboard config}: reads and changes a plugin's configuration on a running server
 * ({@code config/<pid>.cfg}, applied live) through its admin REST API.
 */
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Read and change a plugin's configuration (config/<pid>.cfg, applied live) on a running server "
                + "over HTTP. Needs the admin key: the server's <data>/admin.key, or --key-file.")
final class ConfigCommand {

    private static final String CONFIG = "/api/v1/config/";

    @Spec
    CommandSpec spec;

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a configuration as KEY=VALUE lines.")
    int get(@Mixin AdminOptions admin, @Parameters(paramLabel = "PID", description = "The configuration's PID.") String pid) {
        return admin.run(spec, client -> print(properties(client.get(CONFIG + AdminClient.segment(pid)))));
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Change some keys of a configuration and keep the others; prints the result.")
    int set(@Mixin AdminOptions admin,
            @Parameters(index = "0", paramLabel = "PID", description = "The configuration's PID.") String pid,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE", description = "The keys to set.")
            Map<String, String> values) {
        return admin.run(spec, client -> {
            String path = CONFIG + AdminClient.segment(pid);
            JsonNode current;
            try {
                current = client.get(path);
            } catch (AdminClient.AdminException e) {
                current = client.json().createObjectNode();
            }
            boolean wrapped = current.path("properties").isObject();
            ObjectNode merged = properties(current).deepCopy();
            values.forEach(merged::put);
            JsonNode body = wrapped ? client.json().createObjectNode().set("properties", merged) : merged;
            JsonNode answer = client.put(path, body);
            print(properties(answer.isObject() ? answer : body));
        });
    }

    private static ObjectNode properties(JsonNode answer) {
        JsonNode properties = answer.path("properties").isObject() ? answer.get("properties") : answer;
        return properties.isObject() ? (ObjectNode) properties
                : new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    }

    private void print(ObjectNode properties) {
        PrintWriter out = spec.commandLine().getOut();
        properties.properties().forEach(e -> out.println(e.getKey() + "="
                + (e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString())));
    }

}
