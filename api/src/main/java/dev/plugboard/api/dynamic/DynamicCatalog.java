package dev.plugboard.api.dynamic;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Lets a bundle add catalogue entries defined at run time. Registered by the host as an OSGi
 * service; each bundle that gets it gets its own instance, and everything a bundle added is removed
 * when it releases the service (its component deactivates, the bundle stops or is updated).
 * Thread-safe.
 */
@ProviderType
public interface DynamicCatalog {

    /**
     * Opens a group of tools owned by the calling bundle, empty until its tools are set.
     *
     * @param name what the group stands for (an upstream server's name, say), used in reports and
     *     log lines; not part of any tool's name
     * @return the group; close it to remove its tools
     */
    ToolGroup openToolGroup(String name);

    /**
     * Reports what the calling bundle could not use (entries of its configuration, say), replacing
     * what it reported before. The sentences appear in its module's state ({@code problems} over REST
     * and GraphQL) until replaced, or until the bundle releases the service. Entries a group left
     * out are reported there already.
     *
     * @param problems one sentence each; empty when nothing is wrong
     * @since 1.1
     */
    void setProblems(List<String> problems);
}
