package dev.plugboard.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.session.ConsoleSessions;
import dev.plugboard.console.web.AccessPages;
import dev.plugboard.console.web.CompletionPages;
import dev.plugboard.console.web.ConfigPages;
import dev.plugboard.console.web.CataloguePages;
import dev.plugboard.console.web.Console;
import dev.plugboard.console.web.LoginPages;
import dev.plugboard.console.web.ModulePages;
import dev.plugboard.console.web.OverviewPages;
import dev.plugboard.console.web.PromptPages;
import dev.plugboard.console.web.ResourcePages;
import dev.plugboard.console.web.StaticFiles;
import dev.plugboard.console.web.TaskPages;
import dev.plugboard.console.web.TemplatePages;
import dev.plugboard.console.web.UpstreamPages;
import dev.plugboard.console.web.LogPages;
import dev.plugboard.console.web.RouterPages;
import dev.plugboard.console.web.ToolPages;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers the console's JAX-RS resources with the host's HTTP extension point while the bundle runs, as
 * {@code public} resources: they authenticate by the console session themselves (the login page cannot
 * ask for a credential). Stopping or removing the bundle takes {@code /console} away and ends its sessions.
 */
@Component(immediate = true, service = {})
public final class ConsoleComponent {

    /** A session ends after this long without a request. */
    static final Duration IDLE = Duration.ofMinutes(30);

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final ConsoleSessions sessions = new ConsoleSessions(IDLE, Clock.systemUTC());

    @Activate
    public ConsoleComponent(BundleContext context) {
        Console console = new Console(sessions, new HostApi(new ObjectMapper()));
        for (Object resource : List.of(new LoginPages(console), new StaticFiles(), new OverviewPages(console),
                new ModulePages(console), new CataloguePages(console), new ToolPages(console),
                new TaskPages(console), new AccessPages(console),
                new ConfigPages(console),
                new ResourcePages(console), new TemplatePages(console), new PromptPages(console),
                new CompletionPages(console), new UpstreamPages(console), new LogPages(console),
                new RouterPages(console))) {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("osgi.jaxrs.resource", "true");
            properties.put("plugboard.http.access", "public");
            registrations.add(context.registerService(Object.class, resource, properties));
        }
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(r -> {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it while the bundle stopped
            }
        });
        registrations.clear();
        sessions.clear();
    }
}
