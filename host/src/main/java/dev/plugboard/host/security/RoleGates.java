package dev.plugboard.host.security;

import dev.plugboard.host.catalog.UriTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Catalogue entries that only callers holding a given role may see and use: the entries of an
 * upstream server whose {@code config/mcp-servers.json} entry has {@code requiredRole}. Each owner
 * (a tool group) sets its entries as a whole; the role {@code admin} passes every gate.
 *
 * <p>Consulted by {@link Rights} on every check, so reads take no lock: the gates are an immutable
 * list replaced on each change. One instance per host ({@link #NONE} for rights that are never
 * gated). Thread-safe.
 */
public final class RoleGates {

    /** No gates, and none can be set: rights built without a host's gates. */
    public static final RoleGates NONE = new RoleGates(false);

    /**
     * One owner's gated entries.
     *
     * @param owner who set them
     * @param role the role they require
     * @param tools tool names
     * @param prompts prompt names
     * @param resources resource URIs and URI templates as listed
     * @param templates the URI templates, to gate reads of the URIs they match
     */
    private record Gate(Object owner, String role, Set<String> tools, Set<String> prompts, Set<String> resources,
            List<UriTemplate> templates) {
    }

    private final boolean settable;
    private volatile List<Gate> gates = List.of();

    private RoleGates(boolean settable) {
        this.settable = settable;
    }

    /** A host's gates, empty until entries are set. */
    public static RoleGates create() {
        return new RoleGates(true);
    }

    /**
     * Sets (or, with a null role, removes) the gated entries of one owner, replacing what it set before.
     *
     * @param owner the entries' owner, compared by identity
     * @param role the role they require, or null to remove the owner's gate
     * @param tools tool names
     * @param prompts prompt names
     * @param resources resource URIs
     * @param templates resource URI templates
     */
    public synchronized void set(Object owner, String role, Set<String> tools, Set<String> prompts,
            Set<String> resources, Set<String> templates) {
        if (!settable) {
            throw new IllegalStateException("RoleGates.NONE cannot gate entries");
        }
        List<Gate> next = new ArrayList<>(gates.size() + 1);
        for (Gate g : gates) {
            if (g.owner() != owner) {
                next.add(g);
            }
        }
        if (role != null) {
            Set<String> keys = new java.util.HashSet<>(resources);
            keys.addAll(templates);
            List<UriTemplate> parsed = new ArrayList<>();
            for (String t : templates) {
                try {
                    parsed.add(UriTemplate.parse(t));
                } catch (IllegalArgumentException e) {
                    // a template the catalogue refused too: nothing it matches is listed
                }
            }
            next.add(new Gate(owner, role, Set.copyOf(tools), Set.copyOf(prompts), Set.copyOf(keys), List.copyOf(parsed)));
        }
        gates = List.copyOf(next);
    }

    /** Removes the owner's gated entries. */
    public void remove(Object owner) {
        if (settable) {
            set(owner, null, Set.of(), Set.of(), Set.of(), Set.of());
        }
    }

    private static boolean holds(Set<String> roles, String role) {
        return roles.contains(role) || roles.contains(Roles.ADMIN);
    }

    /** Whether callers with these roles may see and call the tool. */
    public boolean admitsTool(String name, Set<String> roles) {
        for (Gate g : gates) {
            if (g.tools().contains(name) && !holds(roles, g.role())) {
                return false;
            }
        }
        return true;
    }

    /** Whether callers with these roles may see and render the prompt. */
    public boolean admitsPrompt(String name, Set<String> roles) {
        for (Gate g : gates) {
            if (g.prompts().contains(name) && !holds(roles, g.role())) {
                return false;
            }
        }
        return true;
    }

    /** Whether callers with these roles may see and read the resource (a URI, or a listed URI template). */
    public boolean admitsResource(String uri, Set<String> roles) {
        for (Gate g : gates) {
            if (holds(roles, g.role())) {
                continue;
            }
            if (g.resources().contains(uri)) {
                return false;
            }
            for (UriTemplate t : g.templates()) {
                if (t.match(uri).isPresent()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether callers with these roles pass every gate (nothing is hidden from them). */
    public boolean admitsAll(Set<String> roles) {
        for (Gate g : gates) {
            if (!holds(roles, g.role())) {
                return false;
            }
        }
        return true;
    }
}
