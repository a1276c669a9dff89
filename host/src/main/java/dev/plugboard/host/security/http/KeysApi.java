package dev.plugboard.host.security.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.rest.RestApi;
import dev.plugboard.host.security.Security;
import org.glassfish.jersey.internal.inject.AbstractBinder;

/**
 * The REST resource of API keys ({@code /api/v1/keys}), added to the REST API in one call. The
 * front door's security layer lets only principals with the {@code keys} right reach it.
 */
public final class KeysApi {

    /** What the resource works with. */
    record Services(Security security, ObjectMapper json) {
    }

    private KeysApi() {
    }

    /**
     * Adds the keys resource to the REST API, before its handler is made.
     *
     * @return the REST API
     */
    public static RestApi addTo(RestApi rest, Security security, ObjectMapper json) {
        Services services = new Services(security, json);
        return rest.add(KeysResource.class).add(AuditResource.class).add(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(services).to(Services.class);
            }
        });
    }
}
