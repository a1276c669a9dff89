package dev.plugboard.host.dynamic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.dynamic.DynamicCompletionHandler;
import dev.plugboard.api.dynamic.DynamicPrompt;
import dev.plugboard.api.dynamic.DynamicResource;
import dev.plugboard.api.dynamic.DynamicResourceTemplate;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.CatalogEntry;
import dev.plugboard.host.catalog.CompletionHandler;
import dev.plugboard.host.catalog.Entries;
import dev.plugboard.host.catalog.PromptHandler;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredPrompt;
import dev.plugboard.host.catalog.RegisteredResource;
import dev.plugboard.host.catalog.RegisteredTemplate;
import dev.plugboard.host.catalog.ResourceHandler;
import dev.plugboard.host.catalog.UriTemplate;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.prompts.GetPromptResult;
import dev.plugboard.host.protocol.prompts.PromptArgument;
import dev.plugboard.host.protocol.prompts.PromptDescriptor;
import dev.plugboard.host.protocol.resources.ResourceDescriptor;
import dev.plugboard.host.protocol.resources.TemplateDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns the resources, templates and prompts a bundle defined at run time into catalogue entries:
 * checks them (names, templates, collisions with other providers) and adapts their JSON-text
 * handlers to the host's.
 */
final class DynamicEntries {

    private static final Pattern PROMPT_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    /** The entries accepted, and one sentence per entry left out. */
    record Accepted<T>(List<T> entries, List<String> problems) {
    }

    private final String group;
    private final Catalog catalog;
    private final Provider provider;
    private final ObjectMapper mapper;

    DynamicEntries(String group, Catalog catalog, Provider provider, ObjectMapper mapper) {
        this.group = group;
        this.catalog = catalog;
        this.provider = provider;
        this.mapper = mapper;
    }

    Accepted<RegisteredResource> resources(List<DynamicResource> resources) {
        return accept(resources, "Resource", DynamicResource::uri, catalog.resources(), r -> new RegisteredResource(
                new ResourceDescriptor(r.uri(), r.name(), r.title(), r.description(), r.mimeType()),
                reader(r.handler()::read), provider));
    }

    Accepted<RegisteredTemplate> templates(List<DynamicResourceTemplate> templates) {
        return accept(templates, "Resource template", DynamicResourceTemplate::uriTemplate, catalog.templates(), t -> {
            UriTemplate parsed;
            try {
                parsed = UriTemplate.parse(t.uriTemplate());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the URI template cannot be parsed: " + e.getMessage());
            }
            return new RegisteredTemplate(new TemplateDescriptor(t.uriTemplate(), t.name(), t.title(), t.description(),
                    t.mimeType()), parsed, reader(t.handler()::read), completions(parsed.variables(), t.completion()),
                    provider);
        });
    }

    Accepted<RegisteredPrompt> prompts(List<DynamicPrompt> prompts) {
        return accept(prompts, "Prompt", DynamicPrompt::name, catalog.prompts(), p -> {
            if (!PROMPT_NAME.matcher(p.name()).matches()) {
                throw new IllegalArgumentException("a prompt name is 1 to 128 characters from A-Z, a-z, 0-9, '_', '-' and '.'");
            }
            List<PromptArgument> arguments = p.arguments().stream()
                    .map(a -> new PromptArgument(a.name(), a.description(), a.required())).toList();
            return new RegisteredPrompt(new PromptDescriptor(p.name(), p.title(), p.description(), arguments),
                    renderer(p), completions(arguments.stream().map(PromptArgument::name).toList(), p.completion()),
                    provider);
        });
    }

    private <D, T extends CatalogEntry> Accepted<T> accept(List<D> given, String kind, Function<D, String> key,
            Entries<T> existing, Function<D, T> build) {
        List<T> accepted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (D d : given) {
            String k = key.apply(d);
            try {
                if (!keys.add(k)) {
                    throw new IllegalArgumentException("it is given twice");
                }
                Optional<T> other = existing.find(k);
                if (other.isPresent() && other.get().provider() != provider) {
                    throw new IllegalArgumentException("it is already offered by " + Group.owner(other.get().provider()));
                }
                accepted.add(build.apply(d));
            } catch (IllegalArgumentException e) {
                problems.add(kind + " '" + k + "' of " + group + " is not offered: " + e.getMessage());
            }
        }
        return new Accepted<>(accepted, problems);
    }

    /** Reads with a handler that answers a {@code ReadResourceResult} as JSON text. */
    private interface TextReader {
        String read(String uri, dev.plugboard.api.context.RequestContext context) throws Exception;
    }

    private ResourceHandler reader(TextReader handler) {
        return (uri, variables, context) -> {
            String answer = handler.read(uri, context);
            JsonNode tree = tree(answer, "resource");
            if (tree == null) {
                return null;
            }
            JsonNode contents = tree.get("contents");
            if (!(tree instanceof ObjectNode) || contents == null || !contents.isArray()) {
                throw new ToolException("The resource's contents are not a ReadResourceResult (an object with a"
                        + " \"contents\" array)");
            }
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode c : contents) {
                if (!c.isObject() || !c.path("uri").isTextual() || !(c.has("text") || c.has("blob"))) {
                    throw new ToolException("The resource's contents have an entry without \"uri\" and \"text\" or"
                            + " \"blob\"");
                }
                out.add(c);
            }
            return out;
        };
    }

    private PromptHandler renderer(DynamicPrompt prompt) {
        return (arguments, context) -> {
            String answer;
            try {
                answer = prompt.handler().get(mapper.writeValueAsString(arguments), context);
            } catch (IllegalArgumentException e) {
                throw McpException.invalidParams("Invalid params: " + e.getMessage());
            }
            JsonNode tree = tree(answer, "prompt");
            if (!(tree instanceof ObjectNode) || !tree.path("messages").isArray()) {
                throw new ToolException("The prompt's result is not a GetPromptResult (an object with a \"messages\""
                        + " array)");
            }
            List<JsonNode> messages = new ArrayList<>();
            for (JsonNode m : tree.get("messages")) {
                if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isObject()) {
                    throw new ToolException("The prompt's result has a message without \"role\" and \"content\"");
                }
                messages.add(m);
            }
            JsonNode description = tree.get("description");
            return new GetPromptResult(description != null && description.isTextual() ? description.asText() : null,
                    messages);
        };
    }

    private JsonNode tree(String json, String what) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ToolException("The " + what + "'s answer is not valid JSON");
        }
    }

    private static Map<String, CompletionHandler> completions(List<String> names, DynamicCompletionHandler handler) {
        Map<String, CompletionHandler> out = new LinkedHashMap<>();
        if (handler != null) {
            names.forEach(n -> out.put(n, (value, context) -> handler.complete(n, value, context)));
        }
        return out;
    }
}
