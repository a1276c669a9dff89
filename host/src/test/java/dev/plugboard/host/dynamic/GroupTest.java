package dev.plugboard.host.dynamic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.dynamic.DynamicPrompt;
import dev.plugboard.api.dynamic.DynamicResource;
import dev.plugboard.api.dynamic.DynamicResourceTemplate;
import dev.plugboard.api.dynamic.DynamicTool;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Kind;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.plugin.ComponentIntrospector;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.tool.SampleTools;
import dev.plugboard.host.tool.ToolExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tools defined at run time in the real catalogue, called through the real executor. */
class GroupTest {

    private static final String ECHO_SCHEMA = """
            {"type": "object", "properties": {"message": {"type": "string", "minLength": 1}}, "required": ["message"]}""";

    private final ObjectMapper mapper = JsonRpcCodec.newMapper();
    private final ComponentIntrospector introspector = new ComponentIntrospector(mapper, 2);
    private final Catalog catalog = new Catalog(introspector, Duration.ofMillis(200));
    private final Provider provider = new Provider("test.proxy", "1.0.0", 9, 1_000_000, 0, false);
    private final Group group = new Group("upstream", catalog, provider, mapper, 4, g -> { });
    private final List<Set<Kind>> heard = new ArrayList<>();
    private final ToolExecutor executor = new ToolExecutor(new Invocations(Duration.ofSeconds(30)));

    GroupTest() {
        catalog.addListener(heard::add);
    }

    private static DynamicTool echo(String description) {
        return DynamicTool.of("up__echo", description, ECHO_SCHEMA,
                (arguments, context) -> "{\"content\":[{\"type\":\"text\",\"text\":" + arguments.length() + "}],"
                        + "\"structuredContent\":" + arguments + "}");
    }

    private CallToolResult call(String name, String arguments) throws Exception {
        RegisteredTool tool = catalog.tool(name).orElseThrow();
        CallContext context = new CallContext(new CallerIdentity("alice", Set.of(), "test", "1", "s1"), null,
                m -> true, () -> LogLevel.INFO, "tool");
        return executor.call(tool, mapper.readTree(arguments), context).get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachReplacementIsOneChangeAndNoneWhenNothingListedChanged() {
        assertThat(group.setTools(List.of(echo("Echoes")))).isEmpty();
        assertThat(heard).containsExactly(Set.of(Kind.TOOLS));

        group.setTools(List.of(echo("Echoes")));
        assertThat(heard).as("the same listing again is no change").hasSize(1);

        group.setTools(List.of(echo("Echoes back"), DynamicTool.of("up__other", null, "{\"type\":\"object\"}",
                (a, c) -> "{\"content\":[]}")));
        assertThat(heard).hasSize(2);
        assertThat(catalog.tool("up__echo").orElseThrow().descriptor().description()).isEqualTo("Echoes back");
        assertThat(catalog.tool("up__other")).isPresent();

        group.close();
        assertThat(heard).hasSize(3);
        assertThat(catalog.tools().all()).isEmpty();
        assertThat(catalog.missingTool("up__echo")).isEqualTo(
                "Tool 'up__echo' is no longer available: it was removed by test.proxy (upstream)");
    }

    @Test
    void toolsThatCannotBeOfferedAreReportedAndTheOthersOffered() {
        Provider local = Provider.host(1);
        catalog.register(local, introspector.apply(new SampleTools(), local));
        List<String> problems = group.setTools(List.of(echo("Echoes"),
                DynamicTool.of("greet_person", null, "{\"type\":\"object\"}", (a, c) -> "{}"),
                DynamicTool.of("bad name", null, "{\"type\":\"object\"}", (a, c) -> "{}"),
                DynamicTool.of("up__array", null, "{\"type\":\"array\"}", (a, c) -> "{}"),
                DynamicTool.of("up__broken", null, "{not json", (a, c) -> "{}")));
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).startsWith("Tool 'greet_person' of upstream is not offered: the name is already offered by");
        assertThat(problems.get(1)).contains("'bad name'").contains("must be 1 to 128 characters");
        assertThat(problems.get(2)).contains("\"type\": \"object\"");
        assertThat(problems.get(3)).contains("inputSchema is not valid JSON");
        assertThat(catalog.tool("up__echo")).isPresent();
        assertThat(catalog.tool("greet_person").orElseThrow().provider()).isSameAs(local);
    }

    @Test
    void callsAreCheckedAgainstTheRawSchemaAndTheHandlersResultIsSentAsItIs() throws Exception {
        group.setTools(List.of(echo("Echoes")));
        CallToolResult ok = call("up__echo", "{\"message\":\"hi\"}");
        assertThat(ok.isError()).isNull();
        assertThat(ok.structuredContent()).isEqualTo(mapper.readTree("{\"message\":\"hi\"}"));

        assertThatThrownBy(() -> call("up__echo", "{\"message\":\"\"}")).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(McpException.class).hasMessageContaining("message");
    }

    @Test
    void aHandlerThatAnswersSomethingElseThanACallToolResultGivesAClearErrorResult() throws Exception {
        group.setTools(List.of(
                DynamicTool.of("up__garbage", null, "{\"type\":\"object\"}", (a, c) -> "not json"),
                DynamicTool.of("up__array", null, "{\"type\":\"object\"}", (a, c) -> "[1]"),
                DynamicTool.of("up__failing", null, "{\"type\":\"object\"}", (a, c) -> {
                    throw new IllegalStateException("the upstream said no");
                })));
        assertThat(text(call("up__garbage", "{}"))).isEqualTo("The tool's result is not valid JSON");
        assertThat(text(call("up__array", "{}"))).contains("not a CallToolResult");
        CallToolResult failed = call("up__failing", "{}");
        assertThat(failed.isError()).isTrue();
        assertThat(text(failed)).isEqualTo("the upstream said no");
    }

    private CallContext context() {
        return new CallContext(new CallerIdentity("alice", Set.of(), "test", "1", "s1"), null, m -> true,
                () -> LogLevel.INFO, "resource");
    }

    @Test
    void resourcesTemplatesAndPromptsAreReplacedAsWholesReadAndRenderedThroughTheirHandlers() throws Exception {
        DynamicResource readme = new DynamicResource("demo://readme", "up__readme", null, "The readme", "text/plain",
                (uri, c) -> "{\"contents\":[{\"uri\":\"" + uri + "\",\"text\":\"hello\"}]}");
        DynamicResourceTemplate items = new DynamicResourceTemplate("demo://items/{id}", "up__items", null, null, null,
                (uri, c) -> uri.endsWith("/0") ? null : "{\"contents\":[{\"uri\":\"" + uri + "\",\"text\":\"item\"}]}",
                (argument, value, context) -> List.of(argument + ":" + value + "1"));
        assertThat(group.setResources(List.of(readme), List.of(items))).isEmpty();
        assertThat(heard).containsExactly(Set.of(Kind.RESOURCES));
        group.setResources(List.of(readme), List.of(items));
        assertThat(heard).as("the same listing again is no change").hasSize(1);

        assertThat(catalog.resources().find("demo://readme").orElseThrow().handler().read("demo://readme", Map.of(),
                context()).get(0).path("text").asText()).isEqualTo("hello");
        var template = catalog.templates().find("demo://items/{id}").orElseThrow();
        assertThat(template.handler().read("demo://items/7", Map.of("id", "7"), context()).get(0).path("uri").asText())
                .isEqualTo("demo://items/7");
        assertThat(template.handler().read("demo://items/0", Map.of("id", "0"), context())).isNull();
        assertThat(template.completions().get("id").complete("4", Map.of())).containsExactly("id:41");

        DynamicPrompt greet = new DynamicPrompt("up__greet", "Greeting", null,
                List.of(new DynamicPrompt.Argument("who", "whom to greet", true)), (arguments, c) -> {
                    if (!arguments.contains("who")) {
                        throw new IllegalArgumentException("who is required");
                    }
                    return "{\"description\":\"greets\",\"messages\":[{\"role\":\"user\",\"content\":"
                            + "{\"type\":\"text\",\"text\":" + arguments + "}}]}";
                }, null);
        assertThat(group.setPrompts(List.of(greet, new DynamicPrompt("bad name", null, null, null, (a, c) -> "{}",
                null)))).singleElement().asString().contains("'bad name'").contains("1 to 128 characters");
        assertThat(heard).hasSize(2).last().isEqualTo(Set.of(Kind.PROMPTS));
        var prompt = catalog.prompts().find("up__greet").orElseThrow();
        assertThat(prompt.descriptor().arguments()).singleElement().satisfies(a -> assertThat(a.required()).isTrue());
        var rendered = prompt.handler().get(Map.of("who", "Bob"), context());
        assertThat(rendered.description()).isEqualTo("greets");
        assertThat(rendered.messages().get(0).at("/content/text/who").asText()).isEqualTo("Bob");
        assertThatThrownBy(() -> prompt.handler().get(Map.of(), context())).isInstanceOf(McpException.class)
                .hasMessage("Invalid params: who is required");

        group.setTools(List.of(echo("Echoes")));
        assertThat(catalog.resources().all()).as("setting tools keeps the resources").hasSize(1);
        group.close();
        assertThat(catalog.resources().all()).isEmpty();
        assertThat(catalog.templates().all()).isEmpty();
        assertThat(catalog.prompts().all()).isEmpty();
        assertThat(catalog.tools().all()).isEmpty();
    }

    @Test
    void resourcesAndPromptsAnotherProviderOffersAreReportedNotShadowed() throws Exception {
        Provider other = new Provider("test.other", "1.0.0", 10, 1_000_001, 0, false);
        Group second = new Group("second", catalog, other, mapper, 4, g -> { });
        DynamicResource readme = new DynamicResource("demo://readme", "readme", null, null, null,
                (uri, c) -> "{\"contents\":[{\"uri\":\"" + uri + "\",\"text\":\"first\"}]}");
        group.setResources(List.of(readme), List.of());
        group.setPrompts(List.of(new DynamicPrompt("greet", null, null, null, (a, c) -> "{\"messages\":[]}", null)));
        List<String> problems = second.setResources(List.of(readme), List.of(new DynamicResourceTemplate(
                "demo://{broken", "broken", null, null, null, (uri, c) -> null, null)));
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("Resource 'demo://readme' of second is not offered: it is already offered by"
                + " 'upstream' (a tool group of");
        assertThat(problems.get(1)).startsWith("Resource template 'demo://{broken' of second is not offered");
        assertThat(second.setPrompts(List.of(new DynamicPrompt("greet", null, null, null, (a, c) -> "{}", null))))
                .singleElement().asString().contains("already offered by 'upstream'");
        group.setTools(List.of(echo("Echoes")));
        assertThat(second.setTools(List.of(echo("Echoes")))).singleElement().asString()
                .contains("of second is not offered: the name is already offered by 'upstream' (a tool group of");
        assertThat(catalog.resources().find("demo://readme").orElseThrow().provider()).isSameAs(provider);

        group.setResources(List.of(new DynamicResource("demo://bad", "bad", null, null, null, (uri, c) -> "[1]")),
                List.of());
        assertThatThrownBy(() -> catalog.resources().find("demo://bad").orElseThrow().handler().read("demo://bad",
                Map.of(), context())).hasMessageContaining("not a ReadResourceResult");
    }

    private static String text(CallToolResult r) {
        JsonNode first = r.content().get(0);
        return first.path("text").asText();
    }
}
