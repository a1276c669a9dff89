package dev.plugboard.plugins.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.api.config.ConfigFileWatch;
import dev.plugboard.api.dynamic.DynamicCatalog;
import dev.plugboard.api.health.HealthContributor;
import dev.plugboard.api.upstream.UpstreamClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The proxy: follows {@code <config>/mcp-servers.json} and runs one {@link Upstream} per entry,
 * starting, restarting and stopping them as the file changes, and reports them in
 * {@code /health/ready} under {@code plugins.proxy}.
 */
@Component(service = HealthContributor.class, property = HealthContributor.NAME + "=proxy")
public final class ProxyComponent implements HealthContributor {

    private static final Logger LOG = Logger.getLogger(ProxyComponent.class.getName());

    /** The framework property naming the host's configuration folder. */
    static final String CONFIG_DIR = "plugboard.config.dir";
    static final String FILE = "mcp-servers.json";

    private final DynamicCatalog catalog;
    private final UpstreamClients clients;
    private final CatalogEvents events;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("proxy-timer").unstarted(r));
    private final Map<String, Upstream> upstreams = new LinkedHashMap<>();
    private final Path file;
    private final ConfigFileWatch watch;
    private final BreakerMeters breakerMeters;
    private String separator = ServersFile.DEFAULT_SEPARATOR;
    private Map<String, String> problems = Map.of();

    /** Starts following the servers file. */
    @Activate
    public ProxyComponent(@Reference DynamicCatalog catalog, @Reference UpstreamClients clients,
            @Reference CatalogEvents events, BundleContext context,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            MeterRegistry meters) {
        this.events = events;
        this.catalog = catalog;
        this.breakerMeters = new BreakerMeters(meters);
        this.clients = clients;
        String folder = context.getProperty(CONFIG_DIR);
        this.file = Path.of(folder == null ? "config" : folder).resolve(FILE);
        this.watch = ConfigFileWatch.follow(file, "proxy", this::apply);
    }

    /** Applies what the file now says: upstreams whose settings changed restart, the others run on. */
    synchronized void apply(byte[] content) {
        ServersFile.Parsed parsed = ServersFile.parse(content, mapper, file.getParent());
        parsed.warnings().forEach(LOG::warning);
        parsed.problems().forEach((name, why) -> LOG.warning(() -> (name.isEmpty() ? FILE : "Upstream " + name)
                + " is not used: " + why));
        catalog.setProblems(parsed.problems().entrySet().stream().map(e -> e.getKey().isEmpty()
                ? FILE + ": " + e.getValue() : "Upstream " + e.getKey() + " in " + FILE + " is not used: " + e.getValue())
                .toList());
        if (parsed.problems().containsKey("")) {
            problems = parsed.problems();
            return; // a file that cannot be read (half written, say) changes nothing
        }
        problems = parsed.problems();
        boolean separatorChanged = !parsed.separator().equals(separator);
        separator = parsed.separator();
        List<String> gone = new ArrayList<>();
        upstreams.forEach((name, running) -> {
            UpstreamSettings wanted = parsed.upstreams().get(name);
            if (wanted == null || separatorChanged || !wanted.equals(running.settings())) {
                gone.add(name);
            }
        });
        gone.forEach(name -> {
            upstreams.remove(name).close();
            LOG.info(() -> "Upstream " + name + " stopped");
        });
        parsed.upstreams().forEach((name, settings) -> {
            if (!upstreams.containsKey(name)) {
                Upstream u = new Upstream(settings, separator, clients, catalog, mapper, timer, events, breakerMeters);
                upstreams.put(name, u);
                u.start();
            }
        });
    }

    @Override
    public synchronized Object health() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        Map<String, Object> each = new LinkedHashMap<>();
        upstreams.forEach((name, u) -> each.put(name, u.health()));
        problems.forEach((name, why) -> {
            if (!name.isEmpty()) {
                each.put(name, Map.of("state", "invalid", "lastError", why));
            }
        });
        out.put("upstreams", each);
        if (problems.containsKey("")) {
            out.put("fileError", problems.get(""));
        }
        return out;
    }

    /** Stops following the file and ends every upstream (their processes and sessions). */
    @Deactivate
    public void deactivate() {
        watch.close();
        synchronized (this) {
            upstreams.values().forEach(Upstream::close);
            upstreams.clear();
        }
        timer.shutdownNow();
    }
}
