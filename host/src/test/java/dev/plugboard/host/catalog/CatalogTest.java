package dev.plugboard.host.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.host.plugin.ComponentIntrospector;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.tool.SampleTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
}
