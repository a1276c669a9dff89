package dev.plugboard.host.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.api.catalog.CatalogItem;
import dev.plugboard.api.catalog.CatalogListener;
import dev.plugboard.api.catalog.CatalogView;
import dev.plugboard.host.protocol.prompts.PromptArgument;
import dev.plugboard.host.protocol.tools.ToolAnnotations;
import dev.plugboard.host.protocol.tools.ToolDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The catalogue as plugins see it: the {@link CatalogView} service, and calls to every
 * {@link CatalogListener} service (once when it appears, then after each change, coalesced, on one
 * thread).
 */
public final class PublishedCatalog implements CatalogView, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PublishedCatalog.class.getName());

    private final Catalog catalog;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("catalog-listeners").unstarted(r));
    private final AutoCloseable catalogListener;
    private ServiceTracker<CatalogListener, CatalogListener> listeners;
    private ServiceRegistration<CatalogView> registration;

    /**
     * @param catalog the catalogue to publish
     */
    public PublishedCatalog(Catalog catalog) {
        this.catalog = catalog;
        this.catalogListener = catalog.addListener(kinds -> changed());
    }

    /** Registers the view and starts following listener services. */
    public void publish(BundleContext context) {
        registration = context.registerService(CatalogView.class, this, null);
        listeners = new ServiceTracker<>(context, CatalogListener.class, null) {
            @Override
            public CatalogListener addingService(ServiceReference<CatalogListener> ref) {
                CatalogListener listener = super.addingService(ref);
                if (listener != null) {
                    notifier.execute(() -> tell(listener));
                }
                return listener;
            }
        };
        listeners.open();
    }

    @Override
    public List<CatalogItem> items() {
        List<CatalogItem> items = new ArrayList<>();
        for (RegisteredTool t : catalog.tools().all()) {
            items.add(tool(t));
        }
        for (RegisteredResource r : catalog.resources().all()) {
            var d = r.descriptor();
            items.add(new CatalogItem(CatalogItem.Kind.RESOURCE, d.uri(), d.name(), d.title(), d.description(), List.of(),
                    null, null, r.provider().bundleName()));
        }
        for (RegisteredTemplate t : catalog.templates().all()) {
            var d = t.descriptor();
            List<CatalogItem.Parameter> variables = t.template().variables().stream()
                    .map(v -> new CatalogItem.Parameter(v, null, true)).toList();
            items.add(new CatalogItem(CatalogItem.Kind.RESOURCE_TEMPLATE, d.uriTemplate(), d.name(), d.title(),
                    d.description(), variables, null, null, t.provider().bundleName()));
        }
        for (RegisteredPrompt p : catalog.prompts().all()) {
            var d = p.descriptor();
            List<CatalogItem.Parameter> arguments = new ArrayList<>();
            for (PromptArgument a : d.arguments()) {
                arguments.add(new CatalogItem.Parameter(a.name(), a.description(), a.required()));
            }
            items.add(new CatalogItem(CatalogItem.Kind.PROMPT, d.name(), d.name(), d.title(), d.description(), arguments,
                    null, null, p.provider().bundleName()));
        }
        return List.copyOf(items);
    }

    @Override
    public long revision() {
        return catalog.revision();
    }

    private static CatalogItem tool(RegisteredTool t) {
        ToolDescriptor d = t.descriptor();
        Set<String> required = new java.util.HashSet<>();
        d.inputSchema().path("required").forEach(r -> required.add(r.asText()));
        List<CatalogItem.Parameter> parameters = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = d.inputSchema().path("properties").properties().iterator();
                it.hasNext();) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode description = p.getValue().get("description");
            parameters.add(new CatalogItem.Parameter(p.getKey(), description == null ? null : description.asText(),
                    required.contains(p.getKey())));
        }
        ToolAnnotations a = d.annotations() == null ? new ToolAnnotations(null, null, null, null, null) : d.annotations();
        String title = d.title() != null ? d.title() : a.title();
        return new CatalogItem(CatalogItem.Kind.TOOL, d.name(), d.name(), title, d.description(), parameters,
                new CatalogItem.Hints(a.readOnly(), a.destructive(), a.idempotent(), a.openWorld()),
                d.inputSchema().toString(), t.provider().bundleName());
    }

    private void changed() {
        if (listeners != null && pending.compareAndSet(false, true)) {
            notifier.execute(() -> {
                pending.set(false);
                Object[] all = listeners.getServices();
                if (all != null) {
                    for (Object l : all) {
                        tell((CatalogListener) l);
                    }
                }
            });
        }
    }

    private void tell(CatalogListener listener) {
        try {
            listener.catalogChanged(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A catalogue listener failed: " + listener.getClass().getName(), e);
        }
    }

    @Override
    public void close() {
        try {
            catalogListener.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Removing the catalogue listener failed", e);
        }
        if (listeners != null) {
            listeners.close();
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                LOG.fine("The catalogue view was already unregistered");
            }
        }
        notifier.shutdown();
        try {
            notifier.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
