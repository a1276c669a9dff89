package dev.plugboard.host.health;

import dev.plugboard.api.health.HealthContributor;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/** The plugins' {@link HealthContributor} services, read for each readiness report. */
public final class PluginHealth implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginHealth.class.getName());

    private final ServiceTracker<HealthContributor, HealthContributor> tracker;

    /** Starts following the contributors of a framework. */
    public PluginHealth(BundleContext context) {
        this.tracker = new ServiceTracker<>(context, HealthContributor.class, null);
        tracker.open();
    }

    /** Each contributor's state, by its name; a contributor that fails is reported as such. */
    public Map<String, Object> report() {
        Map<String, Object> out = new TreeMap<>();
        ServiceReference<HealthContributor>[] refs = tracker.getServiceReferences();
        if (refs == null) {
            return out;
        }
        for (ServiceReference<HealthContributor> ref : refs) {
            HealthContributor contributor = tracker.getService(ref);
            if (contributor == null) {
                continue;
            }
            Object named = ref.getProperty(HealthContributor.NAME);
            String name = named instanceof String s && !s.isBlank() ? s : ref.getBundle().getSymbolicName();
            try {
                out.put(name, contributor.health());
            } catch (RuntimeException e) {
                LOG.warning(() -> "The health report of " + name + " failed: " + e);
                out.put(name, Map.of("error", "its health report failed"));
            }
        }
        return out;
    }

    @Override
    public void close() {
        tracker.close();
    }
}
