package dev.plugboard.host.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.registry.ToolHandler;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Runs a tool that is an annotated method of a plugin component.
 */
final class MethodTool implements ToolHandler {

    private final MethodHandle method;
    private final List<ArgumentBinding> bindings;
    private final ResultMapper results;

    /**
     * @param method the method, bound to its component and taking an {@code Object[]} of arguments
     * @param bindings one per parameter, in order
     * @param results maps the return value
     */
    MethodTool(MethodHandle method, List<ArgumentBinding> bindings, ResultMapper results) {
        this.method = method;
        this.bindings = bindings;
        this.results = results;
    }

    @Override
    public boolean usesContext() {
        return bindings.stream().anyMatch(ArgumentBinding.Context.class::isInstance);
    }

    @Override
    public CallToolResult call(ObjectNode arguments, CallContext context) throws Exception {
        Object[] values = new Object[bindings.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = bindings.get(i).bind(arguments, context);
        }
        Object returned;
        try {
            returned = method.invoke(values);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return results.map(returned);
    }
}
