package dev.plugboard.host.dynamic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.dynamic.DynamicCatalog;
import dev.plugboard.api.dynamic.ToolGroup;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.security.RoleGates;
import dev.plugboard.host.catalog.Provider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;

/** One bundle's view of the {@link DynamicCatalog}: the groups it opened, closed together. */
final class BundleCatalog implements DynamicCatalog {

    /** Ids for the groups' providers, apart from the framework's service ids (which are positive). */
    private static final AtomicLong GROUP_IDS = new AtomicLong(-1);

    private final Catalog catalog;
    private final ObjectMapper mapper;
    private final int maxConcurrentCalls;
    private final Bundle bundle;
    private final RoleGates gates;
    private final List<Group> groups = new CopyOnWriteArrayList<>();
    private final Provider reporter;
    private volatile boolean closed;

    BundleCatalog(Catalog catalog, ObjectMapper mapper, int maxConcurrentCalls, Bundle bundle, RoleGates gates) {
        this.gates = gates;
        this.catalog = catalog;
        this.mapper = mapper;
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.bundle = bundle;
        this.reporter = new Provider(bundle.getSymbolicName(), bundle.getVersion().toString(), bundle.getBundleId(),
                Long.MAX_VALUE / 2 - GROUP_IDS.decrementAndGet(), 0, false);
    }

    @Override
    public void setProblems(List<String> problems) {
        if (!closed) {
            catalog.setProblems(reporter, List.copyOf(problems));
        }
    }

    @Override
    public ToolGroup openToolGroup(String name) {
        if (closed) {
            throw new IllegalStateException("the DynamicCatalog service was released");
        }
        // groups sort after the bundle's annotated providers: an id that is never a real service's
        Provider provider = new Provider(bundle.getSymbolicName(), bundle.getVersion().toString(),
                bundle.getBundleId(), Long.MAX_VALUE / 2 - GROUP_IDS.decrementAndGet(), 0, false);
        Group group = new Group(name, catalog, provider, mapper, maxConcurrentCalls, groups::remove, gates);
        groups.add(group);
        return group;
    }

    void close() {
        closed = true;
        catalog.setProblems(reporter, List.of());
        groups.forEach(Group::close);
    }
}
