package dev.plugboard.host.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.completion.Completion;
import dev.plugboard.api.prompt.Prompt;
import dev.plugboard.api.resource.Resource;
import dev.plugboard.api.resource.ResourceTemplate;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.host.catalog.CompletionHandler;
import dev.plugboard.host.catalog.Offerings;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredPrompt;
import dev.plugboard.host.catalog.RegisteredResource;
import dev.plugboard.host.catalog.RegisteredTemplate;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.completion.CompletionFactory;
import dev.plugboard.host.prompt.PromptFactory;
import dev.plugboard.host.resource.ResourceFactory;
import dev.plugboard.host.tool.ToolFactory;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads what a plugin component offers: its {@link Tool}, {@link Resource}, {@link ResourceTemplate},
 * {@link Prompt} and {@link Completion} methods. A method that cannot be offered is skipped and
 * reported; the component's other offerings still work. Each component gets its own copy of the JSON
 * settings, so that cached type information is released with it.
 */
public final class ComponentIntrospector implements BiFunction<Object, Provider, Offerings> {

    private static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(Tool.class, Resource.class,
            ResourceTemplate.class, Prompt.class, Completion.class);

    private final ObjectMapper mapper;
    private final int maxConcurrentCalls;

    /**
     * @param mapper the base JSON settings
     * @param maxConcurrentCalls how many calls each tool may run at once
     */
    public ComponentIntrospector(ObjectMapper mapper, int maxConcurrentCalls) {
        this.mapper = mapper;
        this.maxConcurrentCalls = maxConcurrentCalls;
    }

    @Override
    public Offerings apply(Object component, Provider provider) {
        ObjectMapper own = mapper.copy();
        ToolFactory tools = new ToolFactory(own, maxConcurrentCalls);
        ResourceFactory resources = new ResourceFactory(own);
        PromptFactory prompts = new PromptFactory(own);
        CompletionFactory completions = new CompletionFactory();
        Assembly a = new Assembly();
        Class<?> type = component.getClass();
        for (Method method : annotatedMethods(type)) {
            String where = type.getName() + "." + method.getName();
            try {
                if (method.isAnnotationPresent(Tool.class)) {
                    a.add(a.tools, tools.create(component, method, provider), RegisteredTool::key, "tool", where);
                } else if (method.isAnnotationPresent(Resource.class)) {
                    a.add(a.resources, resources.resource(component, method, provider), RegisteredResource::key,
                            "resource", where);
                } else if (method.isAnnotationPresent(ResourceTemplate.class)) {
                    a.add(a.templates, resources.template(component, method, provider), RegisteredTemplate::key,
                            "resource template", where);
                } else if (method.isAnnotationPresent(Prompt.class)) {
                    a.add(a.prompts, prompts.create(component, method, provider), RegisteredPrompt::key, "prompt", where);
                } else {
                    a.completers.add(new Located(where, completions.create(component, method)));
                }
            } catch (IllegalArgumentException e) {
                a.problems.add(where + ": " + e.getMessage());
            }
        }
        return a.offerings();
    }

    private record Located(String where, CompletionFactory.Completer completer) {
    }

    private static final class Assembly {
        final List<RegisteredTool> tools = new ArrayList<>();
        final List<RegisteredResource> resources = new ArrayList<>();
        final List<RegisteredTemplate> templates = new ArrayList<>();
        final List<RegisteredPrompt> prompts = new ArrayList<>();
        final List<Located> completers = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final Set<String> keys = new HashSet<>();

        <T> void add(List<T> list, T entry, java.util.function.Function<T, String> key, String kind, String where) {
            if (!keys.add(kind + ":" + key.apply(entry))) {
                problems.add(where + ": another method already defines a " + kind + " named '" + key.apply(entry) + "'");
                return;
            }
            list.add(entry);
        }

        Offerings offerings() {
            Map<String, Map<String, CompletionHandler>> byPrompt = new HashMap<>();
            Map<String, Map<String, CompletionHandler>> byTemplate = new HashMap<>();
            for (Located l : completers) {
                CompletionFactory.Target t = l.completer().target();
                boolean known = t.prompt()
                        ? prompts.stream().anyMatch(p -> p.key().equals(t.name())
                                && p.descriptor().arguments().stream().anyMatch(x -> x.name().equals(t.argument())))
                        : templates.stream().anyMatch(x -> x.key().equals(t.name())
                                && x.template().variables().contains(t.argument()));
                if (!known) {
                    problems.add(l.where() + ": no " + (t.prompt() ? "prompt" : "resource template") + " '" + t.name()
                            + "' with the argument '" + t.argument() + "' in this component");
                    continue;
                }
                (t.prompt() ? byPrompt : byTemplate).computeIfAbsent(t.name(), k -> new HashMap<>())
                        .put(t.argument(), l.completer().handler());
            }
            List<RegisteredPrompt> withCompletions = prompts.stream().map(p -> new RegisteredPrompt(p.descriptor(),
                    p.handler(), byPrompt.getOrDefault(p.key(), Map.of()), p.provider())).toList();
            List<RegisteredTemplate> templatesWithCompletions = templates.stream().map(t -> new RegisteredTemplate(
                    t.descriptor(), t.template(), t.handler(), byTemplate.getOrDefault(t.key(), Map.of()),
                    t.provider())).toList();
            return new Offerings(tools, resources, templatesWithCompletions, withCompletions, problems);
        }
    }

    private static List<Method> annotatedMethods(Class<?> type) {
        List<Method> found = new ArrayList<>();
        Set<String> signatures = new HashSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                boolean annotated = ANNOTATIONS.stream().anyMatch(m::isAnnotationPresent);
                if (annotated && !m.isBridge()
                        && signatures.add(m.getName() + Arrays.toString(m.getParameterTypes()))) {
                    found.add(m);
                }
            }
        }
        found.sort(Comparator.comparing(Method::getName));
        return found;
    }
}
