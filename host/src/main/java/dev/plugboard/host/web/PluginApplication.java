package dev.plugboard.host.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.rest.Problem;
import dev.plugboard.host.rest.RestApi;
import dev.plugboard.host.security.Principal;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainerProvider;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jersey application of the plugins' routes: their resources and providers, the host's JSON
 * settings, its problem documents for failures, and the caller the gate admitted, offered to the
 * resources as the {@link SecurityContext} and as the request property {@value #CALLER}.
 */
final class PluginApplication {

    /** The request property holding the {@link dev.plugboard.api.context.Caller} a request acts for. */
    static final String CALLER = "dev.plugboard.caller";

    private static final Logger LOG = Logger.getLogger(PluginApplication.class.getName());

    private PluginApplication() {
    }

    static ResourceConfig of(List<Object> resources, List<Object> extensions, ObjectMapper mapper) {
        ResourceConfig config = new ResourceConfig();
        // The class is registered and the service bound as its one instance: Jersey serves the plugin's
        // object (with its references) and does not take it for a provider.
        resources.forEach(r -> config.register(r.getClass()));
        config.register(new AbstractBinder() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            protected void configure() {
                for (Object r : resources) {
                    bind(r).to((Class) r.getClass());
                }
            }
        });
        extensions.forEach(config::register);
        RestApi.problemMappers().forEach(config::register);
        config.register(new RouteRefusals());
        config.register(new CallerFilter());
        config.register(new Json(mapper));
        // Jackson's own mappers answer a malformed body in plain text; the host's answer problem documents.
        config.register(JacksonFeature.withoutExceptionMappers());
        config.register(new BadBodies());
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        // Jersey holds the first 8 KB of a response to give it a Content-Length and ignores flush() until
        // then, so a streamed answer's small events (server-sent events) would wait for the end: none held.
        config.property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
        return config;
    }

    /**
     * The container serving the application, or null when Jersey cannot serve it (its resource model
     * is invalid): one build, where checking first and then building would build it twice.
     */
    static GrizzlyHttpContainer container(ResourceConfig config) {
        try {
            return new GrizzlyHttpContainerProvider().createContainer(GrizzlyHttpContainer.class, config);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "A plugin route's resource model is invalid", e);
            return null;
        }
    }

    /** Whether Jersey can serve the application (its resource model is valid). */
    static boolean valid(ResourceConfig config) {
        try {
            new ApplicationHandler(config);
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "A plugin route's resource model is invalid", e);
            return false;
        }
    }

    /**
     * A refusal a resource built with its own body (an OpenAI-style error, say) is answered as built;
     * Jersey's own (unknown path, wrong method) become problem documents as on {@code /api/v1}.
     */
    private static final class RouteRefusals implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            return original != null && original.hasEntity() ? original : RestApi.problemFor(e);
        }
    }

    /** A body that is not JSON, or not JSON of the route's shape: a 400 problem naming no Java type. */
    private static final class BadBodies implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            return new Problem("invalid-request", 400, "Bad Request", e instanceof JsonParseException
                    ? "the body is not well-formed JSON" : "the body does not have the shape this route takes")
                    .response();
        }
    }

    /** The host's JSON settings for the bodies resources read and write. */
    private record Json(ObjectMapper mapper) implements ContextResolver<ObjectMapper> {
        @Override
        public ObjectMapper getContext(Class<?> type) {
            return mapper;
        }
    }

    /** Offers the admitted caller to the resources. */
    @PreMatching
    @Priority(Priorities.AUTHENTICATION)
    private static final class CallerFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            Principal principal = Principal.current();
            boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
            request.setProperty(CALLER, new CallerIdentity(principal.name(), principal.roles(), principal.rights(),
                    null, null, null, principal.limits()));
            request.setSecurityContext(new SecurityContext() {
                @Override
                public java.security.Principal getUserPrincipal() {
                    return principal::name;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return principal.roles().contains(role);
                }

                @Override
                public boolean isSecure() {
                    return secure;
                }

                @Override
                public String getAuthenticationScheme() {
                    return principal.credential().startsWith("key:") || principal.credential().equals("admin-key")
                            || principal.credential().startsWith("oauth:") ? "Bearer" : null;
                }
            });
        }
    }
}
