package dev.plugboard.host.tool;

import dev.plugboard.api.tool.Tool;

/** Two methods that claim the same tool name. */
public class DuplicateTools {

    @Tool(name = "same", description = "one")
    public String a() {
        return "a";
    }

    @Tool(name = "same", description = "two")
    public String b() {
        return "b";
    }
}
