package dev.plugboard.host.dynamic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.dynamic.DynamicCatalog;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.security.RoleGates;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * The {@link DynamicCatalog} service: one instance per bundle that gets it, whose tool groups are
 * closed when the bundle releases the service (so a stopped or updated bundle leaves nothing behind).
 */
public final class DynamicCatalogService implements ServiceFactory<DynamicCatalog> {

    private final Catalog catalog;
    private final ObjectMapper mapper;
    private final int maxConcurrentCalls;
    private final RoleGates gates;

    /**
     * @param catalog where the tools go
     * @param mapper reads schemas and results
     * @param maxConcurrentCalls each tool's concurrency limit when it names none
     */
    public DynamicCatalogService(Catalog catalog, ObjectMapper mapper, int maxConcurrentCalls) {
        this(catalog, mapper, maxConcurrentCalls, RoleGates.NONE);
    }

    /**
     * @param gates where a group's required role is set (a group's {@code requireRole}); with
     *     {@link RoleGates#NONE} a group that requires a role is refused
     */
    public DynamicCatalogService(Catalog catalog, ObjectMapper mapper, int maxConcurrentCalls, RoleGates gates) {
        this.catalog = catalog;
        this.mapper = mapper;
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.gates = gates;
    }

    @Override
    public DynamicCatalog getService(Bundle bundle, ServiceRegistration<DynamicCatalog> registration) {
        return new BundleCatalog(catalog, mapper, maxConcurrentCalls, bundle, gates);
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<DynamicCatalog> registration, DynamicCatalog service) {
        ((BundleCatalog) service).close();
    }
}
