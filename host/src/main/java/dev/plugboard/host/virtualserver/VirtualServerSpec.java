package dev.plugboard.host.virtualserver;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One virtual server as {@code virtual-servers.json} declares it: which entries of the catalogue it
 * shows, by globs over their names (tools, prompts) or URIs (resources and resource templates).
 *
 * @param name the server's name, the {@code NAME} of {@code /servers/NAME/mcp}
 * @param tools globs of tool names; empty shows no tool
 * @param resources globs of resource URIs and URI templates; empty shows none
 * @param prompts globs of prompt names; empty shows none
 * @param searchMode whether it runs in search mode (lists the search tools and {@code call_tool},
 *     which reach only its own entries)
 * @param description what it is for, sent to clients as the server's instructions; may be null
 * @param requiredRole the role a caller must hold to use it ({@code admin} holds every role); null for none
 */
record VirtualServerSpec(String name, List<String> tools, List<String> resources, List<String> prompts,
        boolean searchMode, String description, String requiredRole) {

    /** A server every caller may use. */
    VirtualServerSpec(String name, List<String> tools, List<String> resources, List<String> prompts,
            boolean searchMode, String description) {
        this(name, tools, resources, prompts, searchMode, description, null);
    }

    VirtualServerSpec {
        tools = List.copyOf(tools);
        resources = List.copyOf(resources);
        prompts = List.copyOf(prompts);
    }

    /** Whether a tool of that name is shown. */
    boolean showsTool(String tool) {
        return matches(tools, tool);
    }

    /** Whether a resource or template of that URI (or URI template) is shown. */
    boolean showsResource(String uri) {
        return matches(resources, uri);
    }

    /** Whether a prompt of that name is shown. */
    boolean showsPrompt(String prompt) {
        return matches(prompts, prompt);
    }

    /** The same server with other globs: whether only the globs differ (an edit that keeps its sessions). */
    boolean sameEndpoint(VirtualServerSpec other) {
        return other != null && searchMode == other.searchMode && java.util.Objects.equals(description, other.description);
    }

    private static boolean matches(List<String> globs, String value) {
        return globs.stream().anyMatch(g -> glob(g).matcher(value).matches());
    }

    /** {@code *} any run of characters, {@code ?} one character, everything else literal. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
