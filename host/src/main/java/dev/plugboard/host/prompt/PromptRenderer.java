package dev.plugboard.host.prompt;

import dev.plugboard.host.catalog.RegisteredPrompt;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.prompts.GetPromptResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Renders prompts through the plugin call machinery. */
public final class PromptRenderer {

    private final Invocations invocations;

    /**
     * @param invocations runs the plugin code
     */
    public PromptRenderer(Invocations invocations) {
        this.invocations = invocations;
    }

    /** Renders a prompt; completes exceptionally as {@link Invocations#run} describes. */
    public CompletableFuture<GetPromptResult> render(RegisteredPrompt prompt, Map<String, String> arguments,
            CallContext context) {
        return invocations.run(prompt.provider(), "Prompt '" + prompt.key() + "'", context,
                () -> prompt.handler().get(arguments, context));
    }
}
