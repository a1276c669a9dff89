package dev.plugboard.host.prompt;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.prompt.Prompt;
import dev.plugboard.host.binding.BoundMethod;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredPrompt;
import dev.plugboard.host.protocol.prompts.PromptArgument;
import dev.plugboard.host.protocol.prompts.PromptDescriptor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/** Builds a prompt from a {@link Prompt} method; its parameters are the prompt's arguments. */
public final class PromptFactory {

    private final ObjectMapper mapper;

    /**
     * @param mapper the JSON settings of the component
     */
    public PromptFactory(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The prompt of a method.
     *
     * @throws IllegalArgumentException when the method cannot become a prompt, saying why
     */
    public RegisteredPrompt create(Object component, Method method, Provider provider) {
        Prompt p = method.getAnnotation(Prompt.class);
        String name = p.name().isEmpty() ? BoundMethod.snakeCase(method.getName()) : p.name();
        BoundMethod bound = BoundMethod.of(component, method, mapper);
        List<PromptArgument> arguments = bound.properties().stream()
                .map(a -> new PromptArgument(a.name(), a.description(), a.required()))
                .toList();
        var descriptor = new PromptDescriptor(name, p.title().isEmpty() ? null : p.title(), p.description(), arguments);
        return new RegisteredPrompt(descriptor, new MethodPrompt(name, bound, arguments), Map.of(), provider);
    }
}
