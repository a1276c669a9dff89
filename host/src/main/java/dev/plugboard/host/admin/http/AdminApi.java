package dev.plugboard.host.admin.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.admin.AdminAccess;
import dev.plugboard.host.admin.Modules;
import dev.plugboard.host.admin.PluginSettings;
import dev.plugboard.host.rest.RestApi;
import org.glassfish.jersey.internal.inject.AbstractBinder;

/**
 * The admin REST resources ({@code /api/v1/modules}, {@code /api/v1/config/{pid}}), their access
 * check and their problem documents, added to the REST API in one call.
 */
public final class AdminApi {

    /** What the admin resources work with. */
    record Services(Modules modules, PluginSettings settings, ObjectMapper json) {
    }

    private AdminApi() {
    }

    /**
     * Adds the admin resources to the REST API, before its handler is made.
     *
     * @param rest the REST API
     * @param modules module administration
     * @param settings plugin configuration
     * @param access the admin check every admin resource passes first
     * @param json the mapper that writes the answers
     * @return the REST API
     */
    public static RestApi addTo(RestApi rest, Modules modules, PluginSettings settings, AdminAccess access,
            ObjectMapper json) {
        Services services = new Services(modules, settings, json);
        return rest.add(ModulesResource.class).add(ConfigResource.class).add(new AdminAccessFilter(access))
                .add(new AdminProblems()).add(new AbstractBinder() {
                    @Override
                    protected void configure() {
                        bind(services).to(Services.class);
                    }
                });
    }
}
