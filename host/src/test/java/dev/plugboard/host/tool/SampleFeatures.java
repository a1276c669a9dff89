package dev.plugboard.host.tool;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.api.client.InputResponses;
import dev.plugboard.api.client.RootsRequest;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.completion.Completion;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.content.Message;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.prompt.Prompt;
import dev.plugboard.api.prompt.PromptResult;
import dev.plugboard.api.resource.Resource;
import dev.plugboard.api.resource.ResourceTemplate;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Resources, templates, prompts, completions and tools that ask the client. */
@McpProvider
public class SampleFeatures {

    /** A record served as JSON. */
    public record City(String name, int population) {
    }

    @Resource(uri = "docs://readme", title = "Read me", description = "The read-me", mimeType = "text/markdown")
    public String readme() {
        return "# Hello";
    }

    @Resource(uri = "docs://logo", mimeType = "image/png")
    public byte[] logo() {
        return new byte[] {1, 2, 3};
    }

    @ResourceTemplate(uriTemplate = "cities://{name}", description = "A city")
    public Optional<City> city(String name) {
        return name.equals("atlantis") ? Optional.empty() : Optional.of(new City(name, name.length() * 1000));
    }

    @Completion(resourceTemplate = "cities://{name}", argument = "name")
    public List<String> cityNames(String prefix) {
        return List.of("paris", "prague", "porto", "oslo").stream().filter(c -> c.startsWith(prefix)).toList();
    }

    @Prompt(title = "Review", description = "Asks for a review of some code")
    public PromptResult review(@Param(description = "the code") String code, Optional<String> language) {
        return new PromptResult("Review of " + language.orElse("code"),
                List.of(Message.user("Review this " + language.orElse("code") + ":"), Message.user(Content.text(code)),
                        Message.assistant("Sure.")));
    }

    @Completion(prompt = "review", argument = "language")
    public List<String> languages(String prefix, Map<String, String> context) {
        return List.of("java", "javascript", "json").stream().filter(l -> l.startsWith(prefix)).toList();
    }

    @Prompt(description = "Asks the user for a topic first")
    public String topic(RequestContext context) {
        String topic = String.valueOf(context.elicit(ElicitRequest.text("Which topic?", "topic", "the topic"))
                .content().get("topic"));
        return "Tell me about " + topic;
    }

    @Tool(description = "Asks the user for their name and greets them")
    public String askName(RequestContext context) {
        var answer = context.elicit(ElicitRequest.text("What is your name?", "name", "your name"));
        return "Hello, " + answer.content().get("name") + " (" + answer.action() + ")";
    }

    @Tool(description = "Asks three things at once, then a fourth")
    public String askMany(RequestContext context) {
        Map<String, InputRequest> first = new LinkedHashMap<>();
        first.put("name", ElicitRequest.text("Name?", "name", "name"));
        first.put("poem", SamplingRequest.of("Write a poem", 20));
        first.put("roots", RootsRequest.INSTANCE);
        InputResponses answers = context.ask(first);
        String colour = String.valueOf(context.ask(Map.of("colour", ElicitRequest.text("Colour?", "colour", "colour")))
                .elicitation("colour").content().get("colour"));
        return answers.elicitation("name").content().get("name") + "/" + ((dev.plugboard.api.content.TextContent)
                answers.sampling("poem").message().content()).text() + "/" + answers.roots("roots").size() + "/" + colour;
    }

    @Tool(description = "Needs sampling")
    public String needsSampling(RequestContext context) {
        return context.supports(ClientCapability.SAMPLING) ? "can sample" : context.sample(SamplingRequest.of("x", 1)).model();
    }
}
