package dev.plugboard.bench.echo;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import org.osgi.service.component.annotations.Component;

/** The benchmarks' echo tool: the same definition and result as the peers' (text content only). */
@Component(service = Echo.class)
@McpProvider
public class Echo {

    /** Returns the message unchanged. */
    @Tool(name = "echo", description = "Echoes a message back")
    public String echo(@Param(description = "Text to echo") String message) {
        return message;
    }
}
