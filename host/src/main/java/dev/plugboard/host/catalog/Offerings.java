package dev.plugboard.host.catalog;

import java.util.List;

/**
 * Everything one provider offers, and the problems found while reading it.
 *
 * @param tools its tools
 * @param resources its fixed resources
 * @param templates its resource templates
 * @param prompts its prompts
 * @param problems one sentence per method that could not be offered
 */
public record Offerings(List<RegisteredTool> tools, List<RegisteredResource> resources,
        List<RegisteredTemplate> templates, List<RegisteredPrompt> prompts, List<String> problems) {

    /** Copies the lists. */
    public Offerings {
        tools = List.copyOf(tools);
        resources = List.copyOf(resources);
        templates = List.copyOf(templates);
        prompts = List.copyOf(prompts);
        problems = List.copyOf(problems);
    }

    /** Offerings with tools only. */
    public static Offerings ofTools(List<RegisteredTool> tools) {
        return new Offerings(tools, List.of(), List.of(), List.of(), List.of());
    }

    /** Whether nothing is offered. */
    public boolean isEmpty() {
        return tools.isEmpty() && resources.isEmpty() && templates.isEmpty() && prompts.isEmpty();
    }
}
