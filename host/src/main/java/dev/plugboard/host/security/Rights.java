package dev.plugboard.host.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a caller may do: operations, and the tools, resources (by URI) and prompts it may see and
 * use. A key restricted with {@code --tools} narrows its role's tool globs further ({@link #narrowTools});
 * a name must then be covered by both.
 *
 * @param operations the operations granted
 * @param tools the tools granted by the role(s)
 * @param toolsAlso a further restriction of tools (the key's own), {@link Globs#ALL} when none
 * @param resources the resource URIs (and URI templates) granted
 * @param prompts the prompts granted
 * @param roles the roles these rights were granted by, for the host's {@link RoleGates}
 * @param gates entries that need a role ({@code requiredRole} of an upstream), {@link RoleGates#NONE} when
 *     none are checked
 */
public record Rights(Set<Operation> operations, Globs tools, Globs toolsAlso, Globs resources, Globs prompts,
        Set<String> roles, RoleGates gates) {

    /** Everything. */
    public static final Rights ALL = new Rights(EnumSet.allOf(Operation.class), Globs.ALL, Globs.ALL, Globs.ALL,
            Globs.ALL);
    /** Nothing. */
    public static final Rights NONE = new Rights(Set.of(), Globs.NONE, Globs.ALL, Globs.NONE, Globs.NONE);

    /** Copies the operations and roles. */
    public Rights {
        operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
        roles = Set.copyOf(roles);
        gates = gates == null ? RoleGates.NONE : gates;
    }

    /** Rights that no {@link RoleGates} restrict. */
    public Rights(Set<Operation> operations, Globs tools, Globs toolsAlso, Globs resources, Globs prompts) {
        this(operations, tools, toolsAlso, resources, prompts, Set.of(), RoleGates.NONE);
    }

    /** These rights, held through these roles, with the entries the host's gates keep from them hidden. */
    public Rights gatedBy(RoleGates hostGates, Set<String> heldRoles) {
        return new Rights(operations, tools, toolsAlso, resources, prompts, heldRoles, hostGates);
    }

    /** Whether an operation is granted. */
    public boolean may(Operation operation) {
        return operations.contains(operation);
    }

    /** Whether a tool may be listed and called, by its name alone. */
    public boolean mayUseTool(String name) {
        return mayUseTool(name, null);
    }

    /**
     * Whether a tool may be listed and called. A glob covers a tool when it matches the tool's name
     * or its name qualified by its plugin ({@code essentials.calculate} for the tool {@code calculate}
     * of the bundle {@code plugboard-essentials} or {@code dev.plugboard.essentials}).
     *
     * @param bundle the symbolic name of the tool's bundle, or null when unknown
     */
    public boolean mayUseTool(String name, String bundle) {
        if (!operations.contains(Operation.CATALOG) || !gates.admitsTool(name, roles)) {
            return false;
        }
        if (tools.all() && toolsAlso.all()) {
            return true;
        }
        String qualified = bundle == null ? null : plugin(bundle) + "." + name;
        return (tools.covers(name) || tools.covers(qualified))
                && (toolsAlso.all() || toolsAlso.covers(name) || toolsAlso.covers(qualified));
    }

    /** A bundle's short plugin name: its last dot-separated segment without a {@code plugboard-} prefix. */
    static String plugin(String bundle) {
        String last = bundle.substring(bundle.lastIndexOf('.') + 1);
        return last.startsWith("plugboard-") ? last.substring("plugboard-".length()) : last;
    }

    /** Whether a resource (or template) may be listed and read. */
    public boolean mayUseResource(String uri) {
        return operations.contains(Operation.CATALOG) && resources.covers(uri) && gates.admitsResource(uri, roles);
    }

    /** Whether a prompt may be listed and rendered. */
    public boolean mayUsePrompt(String name) {
        return operations.contains(Operation.CATALOG) && prompts.covers(name) && gates.admitsPrompt(name, roles);
    }

    /** Whether every catalogue entry is visible (nothing to filter). */
    public boolean seesEverything() {
        return operations.contains(Operation.CATALOG) && tools.all() && toolsAlso.all() && resources.all()
                && prompts.all() && gates.admitsAll(roles);
    }

    /** These rights and another's together (a principal with two roles). */
    Rights union(Rights other) {
        EnumSet<Operation> ops = EnumSet.noneOf(Operation.class);
        ops.addAll(operations);
        ops.addAll(other.operations);
        java.util.Set<String> both = new java.util.HashSet<>(roles);
        both.addAll(other.roles);
        return new Rights(ops, join(tools, other.tools), Globs.ALL, join(resources, other.resources),
                join(prompts, other.prompts), both, gates == RoleGates.NONE ? other.gates : gates);
    }

    /** These rights with tools further restricted to the globs given (a key's {@code --tools}). */
    Rights narrowTools(Globs also) {
        return new Rights(operations, tools, also, resources, prompts, roles, gates);
    }

    private static Globs join(Globs a, Globs b) {
        if (a.all() || b.all()) {
            return Globs.ALL;
        }
        java.util.LinkedHashSet<String> both = new java.util.LinkedHashSet<>(a.patterns());
        both.addAll(b.patterns());
        return new Globs(java.util.List.copyOf(both));
    }
}
