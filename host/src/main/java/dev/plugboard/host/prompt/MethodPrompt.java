package dev.plugboard.host.prompt;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.binding.BoundMethod;
import dev.plugboard.host.catalog.PromptHandler;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.prompts.GetPromptResult;
import dev.plugboard.host.protocol.prompts.PromptArgument;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Renders a prompt by calling an annotated method with the prompt's arguments. */
final class MethodPrompt implements PromptHandler {

    private final String name;
    private final BoundMethod method;
    private final List<PromptArgument> arguments;

    MethodPrompt(String name, BoundMethod method, List<PromptArgument> arguments) {
        this.name = name;
        this.method = method;
        this.arguments = arguments;
    }

    @Override
    public GetPromptResult get(Map<String, String> given, CallContext context) throws Exception {
        Set<String> known = arguments.stream().map(PromptArgument::name).collect(Collectors.toSet());
        for (String key : given.keySet()) {
            if (!known.contains(key)) {
                throw McpException.invalidParams("Invalid arguments for prompt '" + name + "': '" + key
                        + "' is not a known argument; expected one of " + known);
            }
        }
        for (PromptArgument a : arguments) {
            if (a.required() && given.get(a.name()) == null) {
                throw McpException.invalidParams("Invalid arguments for prompt '" + name + "': '" + a.name()
                        + "' is required");
            }
        }
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        given.forEach((k, v) -> {
            if (v != null) {
                args.put(k, v);
            }
        });
        return Messages.map(method.invoke(args, context));
    }
}
