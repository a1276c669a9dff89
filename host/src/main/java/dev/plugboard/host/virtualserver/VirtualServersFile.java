package dev.plugboard.host.virtualserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code virtual-servers.json}: an object of named servers, each
 * {@code {"tools": [globs], "resources": [globs], "prompts": [globs], "mode": "direct|search",
 * "description": "..."}}. Optionally wrapped as {@code {"virtualServers": {...}}}. Pure: no I/O.
 */
final class VirtualServersFile {

    static final String FILE = "virtual-servers.json";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> KEYS = Set.of("tools", "resources", "prompts", "mode", "description",
            "requiredRole");

    /**
     * What the file says.
     *
     * @param servers the usable servers, by name
     * @param problems why each unusable server is not served, by name
     * @param fileError why the whole file could not be read, or null
     * @param warnings unknown keys and the like, for the log
     */
    record Parsed(Map<String, VirtualServerSpec> servers, Map<String, String> problems, String fileError,
            List<String> warnings) {
    }

    private VirtualServersFile() {
    }

    static Parsed parse(byte[] content, ObjectMapper mapper) {
        Map<String, VirtualServerSpec> servers = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        if (content == null || content.length == 0) {
            return new Parsed(servers, problems, null, warnings);
        }
        JsonNode root;
        try {
            root = mapper.readTree(content);
        } catch (JsonProcessingException e) {
            return new Parsed(servers, problems, FILE + " is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")", warnings);
        } catch (java.io.IOException e) {
            return new Parsed(servers, problems, FILE + " cannot be read", warnings);
        }
        if (root != null && root.has("virtualServers") && root.size() == 1) {
            root = root.get("virtualServers");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new Parsed(servers, problems, null, warnings);
        }
        if (!root.isObject()) {
            return new Parsed(servers, problems, FILE + " must hold an object of named virtual servers", warnings);
        }
        for (var entry : root.properties()) {
            String name = entry.getKey();
            try {
                servers.put(name, server(name, entry.getValue(), warnings));
            } catch (IllegalArgumentException e) {
                problems.put(name, e.getMessage());
            }
        }
        return new Parsed(servers, problems, null, warnings);
    }

    private static VirtualServerSpec server(String name, JsonNode node, List<String> warnings) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a virtual server's name is 1 to 64 characters from A-Z, a-z, 0-9, "
                    + "'_', '-' and '.'");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("a virtual server must be an object with \"tools\", \"resources\" "
                    + "and \"prompts\" globs");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                warnings.add("Virtual server " + name + ": the key \"" + k + "\" is not known and is ignored");
            }
        });
        String mode = node.has("mode") ? text(node.get("mode"), "mode") : "direct";
        if (!mode.equals("direct") && !mode.equals("search")) {
            throw new IllegalArgumentException("\"mode\" must be \"direct\" or \"search\", not \"" + mode + "\"");
        }
        String description = node.has("description") && !node.get("description").isNull()
                ? text(node.get("description"), "description") : null;
        String role = node.has("requiredRole") && !node.get("requiredRole").isNull()
                ? text(node.get("requiredRole"), "requiredRole") : null;
        if (role != null && role.isBlank()) {
            throw new IllegalArgumentException("\"requiredRole\" must name a role");
        }
        return new VirtualServerSpec(name, globs(node, "tools"), globs(node, "resources"), globs(node, "prompts"),
                mode.equals("search"), description, role);
    }

    private static List<String> globs(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("\"" + key + "\" must be an array of globs");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode g : value) {
            if (!g.isTextual() || g.asText().isEmpty()) {
                throw new IllegalArgumentException("\"" + key + "\" must hold only non-empty strings (globs with * and ?)");
            }
            out.add(g.asText());
        }
        return out;
    }

    private static String text(JsonNode value, String key) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string");
        }
        return value.asText();
    }
}
