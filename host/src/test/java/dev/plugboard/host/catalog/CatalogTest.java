package dev.plugboard.host.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.host.plugin.ComponentIntrospector;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.tool.DuplicateTools;
import dev.plugboard.host.tool.SampleTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private final ComponentIntrospector introspector = new ComponentIntrospector(JsonRpcCodec.newMapper(), 2);
    private final Catalog catalog = new Catalog(introspector, Duration.ofMillis(200));

    private record Heard(long revision, boolean greeterPresent) {
    }

    @Test
    void everyListenerHearsOfAChangeAfterTheRevisionReflectsIt() {
        List<Heard> heard = new ArrayList<>();
        catalog.addListener(kinds -> heard.add(new Heard(catalog.revision(), catalog.tool("greet_person").isPresent())));
        long before = catalog.revision();

        Provider provider = Provider.host(1);
        Catalog.Registration registration = catalog.register(provider, introspector.apply(new SampleTools(), provider));
        registration.close();

        assertThat(heard).containsExactly(new Heard(before + 1, true), new Heard(before + 2, false));
        assertThat(catalog.revision()).isEqualTo(before + 2);
    }

    @Test
    void anAnnouncementIsAChangeToo() {
        long before = catalog.revision();
        catalog.announce(EnumSet.of(Kind.RESOURCES));
        assertThat(catalog.revision()).isGreaterThan(before);
    }

    private Catalog.Registration offer(Catalog on, Object component, String version, long bundleId, long serviceId) {
        Provider provider = new Provider("test.bundle", version, bundleId, serviceId, 0, false);
        return on.register(provider, introspector.apply(component, provider));
    }

    @Test
    void anUpdateThatListsTheSameToolsIsNoChangeAtAll() {
        Catalog.Registration v1 = offer(catalog, new SampleTools(), "1.0.0", 7, 101);
        List<Set<Kind>> heard = new ArrayList<>();
        catalog.addListener(heard::add);
        long before = catalog.revision();

        Catalog.Change change = catalog.beginChange(7, true);
        v1.close();
        offer(catalog, new SampleTools(), "1.0.1", 7, 102);
        change.close();

        assertThat(heard).isEmpty();
        assertThat(catalog.revision()).isEqualTo(before);
    }

    @Test
    void anUpdateThatChangesTheListIsAnnouncedOnceAtItsEnd() {
        Catalog.Registration v1 = offer(catalog, new SampleTools(), "1.0.0", 7, 101);
        List<Heard> heard = new ArrayList<>();
        catalog.addListener(kinds -> heard.add(new Heard(catalog.revision(), catalog.tool("same").isPresent())));
        long before = catalog.revision();

        Catalog.Change change = catalog.beginChange(7, true);
        v1.close();
        offer(catalog, new DuplicateTools(), "2.0.0", 7, 102);
        assertThat(heard).as("nothing before the change ends").isEmpty();
        change.close();

        assertThat(heard).containsExactly(new Heard(before + 1, true));
    }

    @Test
    void aCallerOfAToolHeldByAnUpdateGetsTheNewVersion() throws Exception {
        Catalog.Registration v1 = offer(catalog, new SampleTools(), "1.0.0", 7, 101);
        Catalog.Change change = catalog.beginChange(7, true);
        v1.close();

        CompletableFuture<Optional<RegisteredTool>> waiting = catalog.awaitTool("greet_person");
        assertThat(waiting).isNotDone();
        offer(catalog, new SampleTools(), "2.0.0", 7, 102);
        change.close();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).hasValueSatisfying(
                t -> assertThat(t.provider().bundleVersion()).isEqualTo("2.0.0"));
    }

    @Test
    void aToolAnUpdateDropsNamesThePluginThatDroppedIt() throws Exception {
        Catalog.Registration v1 = offer(catalog, new SampleTools(), "1.0.0", 7, 101);
        Catalog.Change change = catalog.beginChange(7, true);
        v1.close();
        CompletableFuture<Optional<RegisteredTool>> waiting = catalog.awaitTool("greet_person");
        offer(catalog, new DuplicateTools(), "2.0.0", 7, 102);
        change.close();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(catalog.missingTool("greet_person")).isEqualTo("Tool 'greet_person' is no longer available: the "
                + "plugin that provided it (test.bundle 1.0.0) was updated to 2.0.0 without it");
        assertThat(catalog.missingTool("never_was")).isEqualTo("Unknown tool: never_was");
    }

    @Test
    void aToolThatComesBackIsNoLongerReportedMissing() {
        offer(catalog, new SampleTools(), "1.0.0", 7, 101).close();
        assertThat(catalog.missingTool("greet_person")).contains("(test.bundle 1.0.0) was stopped or removed");

        offer(catalog, new SampleTools(), "1.0.0", 8, 103);

        assertThat(catalog.missingTool("greet_person")).isEqualTo("Unknown tool: greet_person");
    }

    @Test
    void theWaitForAHeldToolIsBounded() throws Exception {
        Catalog quick = new Catalog(introspector, Duration.ofMillis(200), Duration.ofMillis(20));
        Catalog.Registration v1 = offer(quick, new SampleTools(), "1.0.0", 7, 101);
        Catalog.Change change = quick.beginChange(7, true);
        v1.close();

        assertThat(quick.awaitTool("greet_person").get(10, TimeUnit.SECONDS)).isEmpty();
        change.close();
    }

    @Test
    void anUnknownNameIsNotWaitedFor() {
        assertThat(catalog.awaitTool("never_was")).isCompletedWithValue(Optional.empty());
    }
}
