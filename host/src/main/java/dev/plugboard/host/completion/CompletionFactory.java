package dev.plugboard.host.completion;

import dev.plugboard.api.completion.Completion;
import dev.plugboard.host.catalog.CompletionHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Builds completers from {@link Completion} methods: {@code (String value)} or
 * {@code (String value, Map<String, String> context)}, returning a collection of strings.
 */
public final class CompletionFactory {

    /** What a completer completes. */
    public record Target(boolean prompt, String name, String argument) {
    }

    /** A completer and its target. */
    public record Completer(Target target, CompletionHandler handler) {
    }

    /**
     * The completer of a method.
     *
     * @throws IllegalArgumentException when the method cannot complete, saying why
     */
    public Completer create(Object component, Method method) {
        Completion c = method.getAnnotation(Completion.class);
        if (c.prompt().isEmpty() == c.resourceTemplate().isEmpty()) {
            throw new IllegalArgumentException("@Completion names exactly one of prompt and resourceTemplate");
        }
        if (!Modifier.isPublic(method.getModifiers())) {
            throw new IllegalArgumentException("an annotated method must be public");
        }
        Type[] params = method.getGenericParameterTypes();
        boolean withContext = params.length == 2 && params[1] instanceof ParameterizedType p
                && p.getRawType() == Map.class;
        if (params.length < 1 || params[0] != String.class || (params.length == 2 && !withContext) || params.length > 2) {
            throw new IllegalArgumentException("a @Completion method takes (String value) or "
                    + "(String value, Map<String, String> context)");
        }
        if (!Collection.class.isAssignableFrom(method.getReturnType())) {
            throw new IllegalArgumentException("a @Completion method returns a collection of strings");
        }
        method.setAccessible(true);
        CompletionHandler handler = (value, context) -> {
            Object result = withContext ? method.invoke(component, value, context) : method.invoke(component, value);
            List<String> out = new ArrayList<>();
            if (result instanceof Collection<?> values) {
                values.forEach(v -> out.add(String.valueOf(v)));
            }
            return out;
        };
        boolean prompt = !c.prompt().isEmpty();
        return new Completer(new Target(prompt, prompt ? c.prompt() : c.resourceTemplate(), c.argument()), handler);
    }
}
