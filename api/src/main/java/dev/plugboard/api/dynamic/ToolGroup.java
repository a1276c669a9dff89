package dev.plugboard.api.dynamic;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A set of tools, resources, resource templates and prompts a bundle defined at run time, each kind
 * replaced as a whole. Implemented by the host. Thread-safe; replacements are applied in the order
 * they are made.
 */
@ProviderType
public interface ToolGroup extends AutoCloseable {

    /** The name the group was opened with. */
    String name();

    /**
     * Replaces the group's tools with these. Clients hear of it once (one
     * {@code notifications/tools/list_changed}), and only if what {@code tools/list} shows changed.
     * A tool that cannot be offered (a bad name, a schema that is not a JSON object schema, a name
     * another provider already offers) is left out and reported; the others are offered. Calls in
     * flight to a tool that is replaced or removed finish on the handler they started with.
     *
     * @param tools the tools, each name at most once
     * @return one sentence per tool left out, saying why; empty when all are offered
     */
    List<String> setTools(List<DynamicTool> tools);

    /**
     * Replaces the group's resources and resource templates with these. Clients hear of it once
     * ({@code notifications/resources/list_changed}), and only if a listing changed. A resource whose
     * URI, or a template whose URI template, another provider already offers is left out and
     * reported, as is a template that cannot be parsed; the others are offered.
     *
     * @param resources the fixed resources, each URI at most once
     * @param templates the templates, each URI template at most once
     * @return one sentence per entry left out, saying why; empty when all are offered
     * @since 1.1
     */
    List<String> setResources(List<DynamicResource> resources, List<DynamicResourceTemplate> templates);

    /**
     * Replaces the group's prompts with these. Clients hear of it once
     * ({@code notifications/prompts/list_changed}), and only if the listing changed. A prompt with a
     * bad name or a name another provider already offers is left out and reported.
     *
     * @param prompts the prompts, each name at most once
     * @return one sentence per prompt left out, saying why; empty when all are offered
     * @since 1.1
     */
    List<String> setPrompts(List<DynamicPrompt> prompts);

    /**
     * Makes every entry of the group (tools, resources, resource templates and prompts, those set
     * before and after) visible and usable only to callers holding this role: others do not see
     * them in listings or search results, and calling, reading or rendering them is refused as for
     * an entry their rights do not cover. The role {@code admin} holds every role. Call it before
     * setting entries so that none is visible without it for a moment.
     *
     * @param role the role, or null for none (every caller whose rights cover the entries)
     * @since 1.2
     */
    void requireRole(String role);

        /**
     * Sets who hears clients subscribe to and unsubscribe from the group's resources (replacing any
     * set before); null for no one.
     *
     * @param subscriptions the listener, or null
     * @since 1.2
     */
    void onSubscriptions(DynamicSubscriptions subscriptions);

        /** Removes every entry of the group; calls in flight run on to their end or time limit. Idempotent. */
    @Override
    void close();
}
