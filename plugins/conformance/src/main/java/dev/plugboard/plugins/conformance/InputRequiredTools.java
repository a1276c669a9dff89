package dev.plugboard.plugins.conformance;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.ElicitRequest;
import dev.plugboard.api.client.InputResponses;
import dev.plugboard.api.client.RootsRequest;
import dev.plugboard.api.client.SamplingRequest;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.Tool;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Conformance tools for multi round-trip requests (the 2026 {@code input-required-result-*}
 * scenarios, SEP-2322). Each asks the client under the keys the reference server uses, through
 * {@link RequestContext#ask}; the host turns a question into an input-required result and runs the
 * method again when the client retries with the answers, so the methods read as if the answers
 * came back at once.
 */
@Component(service = InputRequiredTools.class)
@McpProvider
public class InputRequiredTools {

    /** The key under which the tools ask for the user's name. */
    static final String NAME_KEY = "user_name";

    /** The question asking for the user's name. */
    static final ElicitRequest NAME_QUESTION = form("What is your name?", "name", "string");

    /** The key under which the request-state tools ask for a confirmation. */
    static final String CONFIRM_KEY = "confirm";

    /** The question asking for a confirmation. */
    static final ElicitRequest CONFIRM_QUESTION = form("Please confirm", "ok", "boolean");

    @Tool(name = "test_input_required_result_elicitation",
            description = "MRTR: asks for the user's name by elicitation, then greets them", readOnly = true,
            openWorld = false)
    public String elicitation(RequestContext ctx) {
        InputResponses answers = ctx.ask(Map.of(NAME_KEY, NAME_QUESTION));
        return "Hello, " + Answers.field(answers.elicitation(NAME_KEY), "name") + "!";
    }

    @Tool(name = "test_input_required_result_sampling",
            description = "MRTR: asks the client's model a question by sampling", readOnly = true, openWorld = false)
    public String sampling(RequestContext ctx) {
        InputResponses answers = ctx.ask(Map.of("sample_request",
                SamplingRequest.of("What is the capital of France?", 100)));
        return "Sampling result: " + Answers.text(answers.sampling("sample_request"));
    }

    @Tool(name = "test_input_required_result_list_roots",
            description = "MRTR: asks the client for its roots and counts them", readOnly = true, openWorld = false)
    public String listRoots(RequestContext ctx) {
        InputResponses answers = ctx.ask(Map.of("roots_request", RootsRequest.INSTANCE));
        return "Found " + answers.roots("roots_request").size() + " root(s)";
    }

    @Tool(name = "test_input_required_result_request_state",
            description = "MRTR: asks for a confirmation; the answer comes back with the request state",
            readOnly = true, openWorld = false)
    public String requestState(RequestContext ctx) {
        return confirm(ctx);
    }

    @Tool(name = "test_input_required_result_multiple_inputs",
            description = "MRTR: asks for elicitation, sampling and roots in one round", readOnly = true,
            openWorld = false)
    public String multipleInputs(RequestContext ctx) {
        InputResponses answers = ctx.ask(Map.of(
                NAME_KEY, NAME_QUESTION,
                "greeting", SamplingRequest.of("Generate a greeting", 50),
                "client_roots", RootsRequest.INSTANCE));
        return "Name: " + Answers.field(answers.elicitation(NAME_KEY), "name")
                + "; Greeting: " + Answers.text(answers.sampling("greeting"))
                + "; Roots: " + answers.roots("client_roots").size();
    }

    @Tool(name = "test_input_required_result_multi_round",
            description = "MRTR: asks two questions in two rounds, the second after the first is answered",
            readOnly = true, openWorld = false)
    public String multiRound(RequestContext ctx) {
        InputResponses first = ctx.ask(Map.of("step1", form("Step 1: What is your name?", "name", "string")));
        String name = Answers.field(first.elicitation("step1"), "name");
        InputResponses second = ctx.ask(Map.of("step2",
                form("Step 2: What is your favorite color?", "color", "string")));
        String color = Answers.field(second.elicitation("step2"), "color");
        return "Multi-round complete for " + name + " who likes " + color;
    }

    /** The host rejects a retry whose request state was altered; the tool itself is ordinary. */
    @Tool(name = "test_input_required_result_tampered_state",
            description = "MRTR: asks for a confirmation; a retry with an altered request state is rejected",
            readOnly = true, openWorld = false)
    public String tamperedState(RequestContext ctx) {
        return confirm(ctx);
    }

    @Tool(name = "test_input_required_result_capabilities",
            description = "MRTR: asks only for what the client supports: elicitation, else sampling",
            readOnly = true, openWorld = false)
    public String capabilities(RequestContext ctx) {
        if (ctx.supports(ClientCapability.ELICITATION)) {
            InputResponses answers = ctx.ask(Map.of(NAME_KEY, NAME_QUESTION));
            return "Elicited name: " + Answers.field(answers.elicitation(NAME_KEY), "name");
        }
        InputResponses answers = ctx.ask(Map.of("sample_input", SamplingRequest.of("Sample request", 100)));
        return "Sampled: " + Answers.text(answers.sampling("sample_input"));
    }

    private static String confirm(RequestContext ctx) {
        ctx.ask(Map.of(CONFIRM_KEY, CONFIRM_QUESTION));
        return "state-ok: requestState validated";
    }

    /** A form with one required field of the given JSON type. */
    static ElicitRequest form(String message, String field, String type) {
        return new ElicitRequest(message, Map.of(
                "type", "object",
                "properties", Map.of(field, Map.of("type", type)),
                "required", List.of(field)));
    }
}
