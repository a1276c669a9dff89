package dev.plugboard.host.virtualserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Kind;
import dev.plugboard.host.catalog.Offerings;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.plugin.ComponentIntrospector;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.protocol.tools.ToolDescriptor;
import dev.plugboard.host.tool.SampleTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A virtual server's view over a real catalogue: it follows the catalogue and hears only its own changes. */
class CatalogViewTest {

    private final ObjectMapper mapper = JsonRpcCodec.newMapper();
    private final ComponentIntrospector introspector = new ComponentIntrospector(mapper, 2);
    private final Catalog main = new Catalog(introspector, Duration.ofMillis(200));
    private final List<Set<Kind>> heard = new ArrayList<>();

    private static VirtualServerSpec spec(String... tools) {
        return new VirtualServerSpec("v", List.of(tools), List.of(), List.of(), false, null);
    }

    private static List<String> names(Catalog catalog) {
        return catalog.tools().all().stream().map(RegisteredTool::name).toList();
    }

    private Catalog.Registration offer(String name, long serviceId) {
        return offer(name, "1", serviceId, serviceId);
    }

    private Catalog.Registration offer(String name, String version, long bundleId, long serviceId) {
        Provider provider = new Provider("other", version, bundleId, serviceId, 0, false);
        ToolDescriptor descriptor = new ToolDescriptor(name, null, "a tool", mapper.createObjectNode().put("type",
                "object"), null, null);
        return main.register(provider, Offerings.ofTools(List.of(new RegisteredTool(descriptor,
                (arguments, context) -> new CallToolResult(List.of(), null, null), provider, 1))));
    }

    @Test
    void theViewShowsItsGlobsFollowsTheCatalogueAndHearsOnlyItsOwnChanges() {
        Provider local = Provider.host(1);
        main.register(local, introspector.apply(new SampleTools(), local));
        try (CatalogView view = new CatalogView(main, spec("greet_*", "up__*"), mapper, Duration.ofMillis(200),
                Duration.ofSeconds(1))) {
            view.catalog().addListener(heard::add);
            assertThat(names(view.catalog())).containsExactly("greet_person");
            assertThat(names(main)).contains("sum_x", "weather.forecast");
            assertThat(view.catalog().tool("greet_person").orElseThrow()).as("the host's own entry")
                    .isSameAs(main.tool("greet_person").orElseThrow());

            // a tool outside the globs comes and goes: the view's clients hear nothing
            offer("elsewhere", 100).close();
            assertThat(heard).isEmpty();

            // one inside the globs: they hear it, once each way
            Catalog.Registration inside = offer("up__echo", 101);
            assertThat(names(view.catalog())).containsExactly("greet_person", "up__echo");
            assertThat(heard).containsExactly(Set.of(Kind.TOOLS));
            inside.close();
            assertThat(names(view.catalog())).containsExactly("greet_person");
            assertThat(heard).hasSize(2);

            // the host's call_tool (search mode on /mcp) is never mirrored, whatever the globs
            Provider meta = Provider.hostMeta(0);
            main.register(meta, Offerings.ofTools(List.of(new RegisteredTool(new ToolDescriptor("call_tool", null, "calls",
                    mapper.createObjectNode().put("type", "object"), null, null),
                    (arguments, context) -> new CallToolResult(List.of(), null, null), meta, 1))));
            view.show(spec("*"));
            assertThat(names(view.catalog())).doesNotContain("call_tool").contains("greet_person", "sum_x");
            assertThat(heard).hasSize(3);

            // other globs: the view shows the new selection and says so once
            view.show(spec("sum_x", "weather.*"));
            assertThat(names(view.catalog())).containsExactly("sum_x", "weather.forecast");
            assertThat(heard).hasSize(4);
            assertThat(view.catalog().missingTool("greet_person")).contains("no longer offered by the virtual server v");
        }
        offer("up__late", 102);
        assertThat(heard).as("a closed view no longer follows").hasSize(4);
    }

    @Test
    void aCallDuringAnUpdateOfItsBundleWaitsForTheNewVersionAsOnTheHostsEndpoint() throws Exception {
        Catalog.Registration v1 = offer("up__echo", "1.0.0", 7, 101);
        try (CatalogView view = new CatalogView(main, spec("up__*"), mapper, Duration.ofMillis(200),
                Duration.ofSeconds(30))) {
            view.catalog().addListener(heard::add);
            Catalog.Change update = main.beginChange(7, true);
            v1.close();

            // the view hears of the update only at its end, but its callers already see it under way
            assertThat(names(view.catalog())).containsExactly("up__echo");
            assertThat(view.catalog().tool("up__echo")).isEmpty();
            assertThat(view.catalog().updating("up__echo")).isTrue();
            CompletableFuture<Optional<RegisteredTool>> waiting = view.catalog().awaitTool("up__echo");
            assertThat(waiting).isNotDone();
            // a name outside the globs is not the host's to find, update or not
            assertThat(view.catalog().awaitTool("elsewhere")).isCompletedWithValue(Optional.empty());

            offer("up__echo", "2.0.0", 7, 102);
            update.close();

            assertThat(waiting.get(10, TimeUnit.SECONDS)).hasValueSatisfying(t -> {
                assertThat(t.provider().bundleVersion()).isEqualTo("2.0.0");
                assertThat(t).isSameAs(view.catalog().tool("up__echo").orElseThrow());
            });
            assertThat(heard).as("the same listing: nothing to tell its clients").isEmpty();
        }
    }

    @Test
    void aToolAnUpdateDroppedIsNamedAsOnTheHostsEndpoint() {
        Catalog.Registration v1 = offer("up__echo", "1.0.0", 7, 101);
        try (CatalogView view = new CatalogView(main, spec("up__*"), mapper, Duration.ofMillis(200),
                Duration.ofSeconds(30))) {
            Catalog.Change update = main.beginChange(7, true);
            v1.close();
            offer("up__other", "2.0.0", 7, 102);
            update.close();

            assertThat(view.catalog().tool("up__echo")).isEmpty();
            assertThat(view.catalog().updating("up__echo")).isFalse();
            assertThat(view.catalog().missingTool("up__echo")).isEqualTo(main.missingTool("up__echo"))
                    .contains("was updated to 2.0.0 without it");
        }
    }
}
