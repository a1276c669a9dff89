package dev.plugboard.host.admin.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.admin.AdminAccess;
import dev.plugboard.host.admin.Modules;
import dev.plugboard.host.admin.PluginSettings;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The admin REST resources ({@code /api/v1/modules}, {@code /api/v1/config/{pid}}), their access
 * check and their problem documents, registered in one call on a Jersey application.
 */
public final class AdminApi {

    private AdminApi() {
    }

    /**
     * Registers the admin resources on an application.
     *
     * @param app the Jersey application serving {@code /api/v1}
     * @param modules module administration
     * @param settings plugin configuration
     * @param access the admin check every resource passes first
     * @param json the mapper that writes the answers
     * @return the application
     */
    public static ResourceConfig register(ResourceConfig app, Modules modules, PluginSettings settings,
            AdminAccess access, ObjectMapper json) {
        return app.register(new ModulesResource(modules, json))
                .register(new ConfigResource(settings, json))
                .register(new AdminAccessFilter(access))
                .register(new AdminProblems());
    }
}
