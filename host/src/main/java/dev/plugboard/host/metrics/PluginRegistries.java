package dev.plugboard.host.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * The {@code MeterRegistry} service plugins bind their meters to: each bundle gets a view of its own
 * that writes through to the host's registry, and the meters a bundle registered are removed from
 * the host's registry when it lets go of the service (stopped, updated or removed), so a plugin's
 * meters never outlive its code.
 */
final class PluginRegistries implements ServiceFactory<Object> {

    private final MeterRegistry host;

    PluginRegistries(MeterRegistry host) {
        this.host = host;
    }

    @Override
    public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
        CompositeMeterRegistry view = new CompositeMeterRegistry();
        view.add(host);
        return view;
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
        CompositeMeterRegistry view = (CompositeMeterRegistry) service;
        for (Meter meter : view.getMeters()) {
            host.remove(meter.getId());
        }
        view.remove(host);
        view.clear();
    }
}
