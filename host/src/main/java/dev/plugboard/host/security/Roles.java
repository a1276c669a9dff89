package dev.plugboard.host.security;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles a principal can hold: the built-in {@code admin} (everything), {@code operator}
 * (the catalogue and module administration), {@code user} (the catalogue), and custom roles from
 * {@code security.json}, each granting operations and tool, resource and prompt globs.
 */
public final class Roles {

    /** Everything, key management included. */
    public static final String ADMIN = "admin";
    /** The catalogue, modules and plugin configuration. */
    public static final String OPERATOR = "operator";
    /** The catalogue. */
    public static final String USER = "user";

    private final Map<String, Rights> byName;

    private Roles(Map<String, Rights> byName) {
        this.byName = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** The built-in roles and the custom ones given (which may not redefine a built-in). */
    public static Roles of(Map<String, Rights> custom) {
        Map<String, Rights> all = new LinkedHashMap<>();
        all.put(ADMIN, Rights.ALL);
        all.put(OPERATOR, new Rights(EnumSet.of(Operation.CATALOG, Operation.ADMIN), Globs.ALL, Globs.ALL, Globs.ALL,
                Globs.ALL));
        all.put(USER, new Rights(EnumSet.of(Operation.CATALOG), Globs.ALL, Globs.ALL, Globs.ALL, Globs.ALL));
        custom.forEach((name, rights) -> {
            if (all.containsKey(name)) {
                throw new IllegalArgumentException("role '" + name + "' is built in and cannot be redefined");
            }
            all.put(name, rights);
        });
        return new Roles(all);
    }

    /** Whether a role exists. */
    public boolean exists(String role) {
        return byName.containsKey(role);
    }

    /** The role names. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** The rights of these roles together; unknown roles grant nothing. */
    public Rights rightsOf(List<String> roles) {
        Rights r = null;
        for (String role : roles) {
            Rights granted = byName.get(role);
            if (granted != null) {
                r = r == null ? granted : r.union(granted);
            }
        }
        return r == null ? Rights.NONE : r;
    }
}
