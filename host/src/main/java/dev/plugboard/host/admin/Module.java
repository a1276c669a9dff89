package dev.plugboard.host.admin;

import java.util.List;

/**
 * A deployed module (a jar of the deploy folder) as admins see it.
 *
 * @param name the bundle's symbolic name; null when the jar is not a bundle
 * @param version the bundle's version, or null
 * @param state {@code ACTIVE}, {@code RESOLVED} (stopped), {@code INSTALLED}, {@code STARTING},
 *     {@code STOPPING} or {@code FAILED}
 * @param file the jar's file name in the deploy folder
 * @param provides what it adds to the catalogue now
 * @param error why its last deployment failed, or null
 * @param problems what else is wrong (components that failed, entries that were skipped)
 */
public record Module(String name, String version, String state, String file, Provides provides, String error,
        List<String> problems) {

    /** Copies the problems. */
    public Module {
        problems = List.copyOf(problems);
    }

    /**
     * What a module offers in the catalogue.
     *
     * @param tools tool names
     * @param resources resource URIs and resource template URI templates
     * @param prompts prompt names
     */
    public record Provides(List<String> tools, List<String> resources, List<String> prompts) {

        /** Nothing. */
        public static final Provides NOTHING = new Provides(List.of(), List.of(), List.of());

        /** Copies the lists. */
        public Provides {
            tools = List.copyOf(tools);
            resources = List.copyOf(resources);
            prompts = List.copyOf(prompts);
        }
    }
}
