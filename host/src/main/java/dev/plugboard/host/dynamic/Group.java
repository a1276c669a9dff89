package dev.plugboard.host.dynamic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.dynamic.DynamicPrompt;
import dev.plugboard.api.dynamic.DynamicResource;
import dev.plugboard.api.dynamic.DynamicResourceTemplate;
import dev.plugboard.api.dynamic.DynamicSubscriptions;
import dev.plugboard.api.dynamic.DynamicTool;
import dev.plugboard.api.dynamic.ToolGroup;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Offerings;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredPrompt;
import dev.plugboard.host.catalog.RegisteredResource;
import dev.plugboard.host.catalog.RegisteredTemplate;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.protocol.tools.ToolAnnotations;
import dev.plugboard.host.security.RoleGates;
import dev.plugboard.host.protocol.tools.ToolDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/** A {@link ToolGroup}: its entries in the catalogue under one provider, each kind replaced as a whole. */
final class Group implements ToolGroup {

    private static final Logger LOG = Logger.getLogger(Group.class.getName());
    /**
     * The name of the open group behind each group provider, so that a collision names the group
     * (an upstream server of the proxy, say) rather than only the bundle that opened it. Weak: a
     * provider is a group's own object, gone with it.
     */
    private static final Map<Provider, String> NAMES = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private final String name;
    private final Catalog catalog;
    private final Provider provider;
    private final ObjectMapper mapper;
    private final int maxConcurrentCalls;
    private final Consumer<Group> onClose;
    private final DynamicEntries entries;
    private Offerings current = Offerings.ofTools(List.of());
    private List<String> toolProblems = List.of();
    private List<String> resourceProblems = List.of();
    private List<String> promptProblems = List.of();
    private boolean closed;
    private final RoleGates gates;
    private String requiredRole;

    Group(String name, Catalog catalog, Provider provider, ObjectMapper mapper, int maxConcurrentCalls,
            Consumer<Group> onClose) {
        this(name, catalog, provider, mapper, maxConcurrentCalls, onClose, RoleGates.NONE);
    }

    Group(String name, Catalog catalog, Provider provider, ObjectMapper mapper, int maxConcurrentCalls,
            Consumer<Group> onClose, RoleGates gates) {
        this.gates = gates;
        this.name = name;
        this.catalog = catalog;
        this.provider = provider;
        this.mapper = mapper;
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.onClose = onClose;
        this.entries = new DynamicEntries(name, catalog, provider, mapper);
        NAMES.put(provider, name);
    }

    /** Who offers entries of a provider, for a collision: the group's name with its bundle, or the bundle. */
    static String owner(Provider provider) {
        String group = NAMES.get(provider);
        return group == null ? provider.toString() : "'" + group + "' (a tool group of " + provider + ")";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized List<String> setTools(List<DynamicTool> tools) {
        if (closed) {
            throw new IllegalStateException("tool group '" + name + "' is closed");
        }
        List<String> problems = new ArrayList<>();
        List<RegisteredTool> accepted = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (DynamicTool tool : tools) {
            try {
                if (!names.add(tool.name())) {
                    throw new IllegalArgumentException("the name is given twice");
                }
                Optional<RegisteredTool> other = catalog.tool(tool.name());
                if (other.isPresent() && other.get().provider() != provider) {
                    throw new IllegalArgumentException("the name is already offered by " + owner(other.get().provider()));
                }
                accepted.add(registered(tool));
            } catch (IllegalArgumentException e) {
                problems.add("Tool '" + tool.name() + "' of " + name + " is not offered: " + e.getMessage());
            }
        }
        problems.forEach(LOG::warning);
        replace(new Offerings(accepted, current.resources(), current.templates(), current.prompts(), List.of()));
        toolProblems = List.copyOf(problems);
        report();
        return problems;
    }

    /** What could not be offered, in the bundle's module state. */
    private void report() {
        List<String> all = new ArrayList<>(toolProblems);
        all.addAll(resourceProblems);
        all.addAll(promptProblems);
        catalog.setProblems(provider, all);
    }

    private void replace(Offerings next) {
        if (requiredRole != null) {
            gate(requiredRole, current, next); // the new entries are gated before anyone can see them
        }
        catalog.replace(provider, current, next, "was removed by " + provider.bundleName() + " (" + name + ")");
        current = next;
        if (requiredRole != null) {
            gate(requiredRole, next);
        }
    }

    @Override
    public void onSubscriptions(DynamicSubscriptions subscriptions) {
        provider.onSubscriptions(subscriptions == null ? null : subscriptions::changed);
    }

    @Override
    public synchronized void requireRole(String role) {
        if (closed) {
            throw new IllegalStateException("tool group '" + name + "' is closed");
        }
        if (role != null && gates == RoleGates.NONE) {
            throw new IllegalStateException("this host cannot restrict entries to a role");
        }
        requiredRole = role;
        if (role == null) {
            gates.remove(this);
            provider.onSubscriptions(null);
        } else {
            gate(role, current);
        }
    }

    private void gate(String role, Offerings... offerings) {
        Set<String> tools = new HashSet<>();
        Set<String> prompts = new HashSet<>();
        Set<String> resources = new HashSet<>();
        Set<String> templates = new HashSet<>();
        for (Offerings o : offerings) {
            o.tools().forEach(t -> tools.add(t.key()));
            o.prompts().forEach(p -> prompts.add(p.key()));
            o.resources().forEach(r -> resources.add(r.key()));
            o.templates().forEach(t -> templates.add(t.key()));
        }
        gates.set(this, role, tools, prompts, resources, templates);
    }

    @Override
    public synchronized List<String> setResources(List<DynamicResource> resources,
            List<DynamicResourceTemplate> templates) {
        if (closed) {
            throw new IllegalStateException("tool group '" + name + "' is closed");
        }
        DynamicEntries.Accepted<RegisteredResource> fixed = entries.resources(resources);
        DynamicEntries.Accepted<RegisteredTemplate> templated = entries.templates(templates);
        List<String> problems = new ArrayList<>(fixed.problems());
        problems.addAll(templated.problems());
        problems.forEach(LOG::warning);
        replace(new Offerings(current.tools(), fixed.entries(), templated.entries(), current.prompts(), List.of()));
        resourceProblems = List.copyOf(problems);
        report();
        return problems;
    }

    @Override
    public synchronized List<String> setPrompts(List<DynamicPrompt> prompts) {
        if (closed) {
            throw new IllegalStateException("tool group '" + name + "' is closed");
        }
        DynamicEntries.Accepted<RegisteredPrompt> accepted = entries.prompts(prompts);
        accepted.problems().forEach(LOG::warning);
        replace(new Offerings(current.tools(), current.resources(), current.templates(), accepted.entries(), List.of()));
        promptProblems = accepted.problems();
        report();
        return accepted.problems();
    }

    private RegisteredTool registered(DynamicTool tool) {
        ObjectNode input = objectSchema(tool.inputSchema(), "inputSchema");
        if (!"object".equals(input.path("type").asText())) {
            throw new IllegalArgumentException("inputSchema must be a JSON object schema with \"type\": \"object\"");
        }
        ObjectNode output = tool.outputSchema() == null ? null : objectSchema(tool.outputSchema(), "outputSchema");
        ToolDescriptor descriptor = new ToolDescriptor(tool.name(), tool.title(), tool.description(), input, output,
                hints(tool));
        return new RegisteredTool(descriptor, new DynamicToolCall(tool.handler(), mapper), provider,
                tool.maxConcurrentCalls() > 0 ? tool.maxConcurrentCalls() : maxConcurrentCalls, tool.timeout());
    }

    private ObjectNode objectSchema(String json, String what) {
        try {
            if (mapper.readTree(json) instanceof ObjectNode schema) {
                return schema;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
        throw new IllegalArgumentException(what + " must be a JSON object");
    }

    private static ToolAnnotations hints(DynamicTool tool) {
        DynamicTool.Hints h = tool.hints();
        if (h == null && tool.title() == null) {
            return null;
        }
        return h == null ? new ToolAnnotations(tool.title(), null, null, null, null)
                : new ToolAnnotations(tool.title(), h.readOnly(), h.destructive(), h.idempotent(), h.openWorld());
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            catalog.replace(provider, current, Offerings.ofTools(List.of()),
                    "was removed by " + provider.bundleName() + " (" + name + ")");
            current = Offerings.ofTools(List.of());
            catalog.setProblems(provider, List.of());
            NAMES.remove(provider);
            gates.remove(this);
            provider.onSubscriptions(null);
        }
        onClose.accept(this);
    }

}
