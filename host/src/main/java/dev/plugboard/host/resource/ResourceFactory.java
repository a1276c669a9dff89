package dev.plugboard.host.resource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.resource.Resource;
import dev.plugboard.api.resource.ResourceTemplate;
import dev.plugboard.host.binding.BoundMethod;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredResource;
import dev.plugboard.host.catalog.RegisteredTemplate;
import dev.plugboard.host.catalog.UriTemplate;
import dev.plugboard.host.protocol.resources.ResourceDescriptor;
import dev.plugboard.host.protocol.resources.TemplateDescriptor;
import dev.plugboard.host.schema.SchemaGenerator;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds resources from {@link Resource} methods and resource templates from {@link ResourceTemplate}
 * methods.
 */
public final class ResourceFactory {

    private final ObjectMapper mapper;
    private final ContentsMapper contents;

    /**
     * @param mapper the JSON settings of the component
     */
    public ResourceFactory(ObjectMapper mapper) {
        this.mapper = mapper;
        this.contents = new ContentsMapper(mapper);
    }

    /**
     * The resource of a {@link Resource} method.
     *
     * @throws IllegalArgumentException when the method cannot serve a resource, saying why
     */
    public RegisteredResource resource(Object component, Method method, Provider provider) {
        Resource r = method.getAnnotation(Resource.class);
        checkUri(r.uri());
        BoundMethod bound = BoundMethod.of(component, method, mapper);
        if (!bound.properties().isEmpty()) {
            throw new IllegalArgumentException("a @Resource method takes no arguments (only a RequestContext); "
                    + "use @ResourceTemplate for URIs with variables");
        }
        String mime = emptyToNull(r.mimeType());
        var descriptor = new ResourceDescriptor(r.uri(), name(r.name(), method), emptyToNull(r.title()),
                emptyToNull(r.description()), mime);
        return new RegisteredResource(descriptor, new MethodResource(bound, contents, mime, cacheFor(r.cacheSeconds())),
                provider);
    }

    /**
     * The template of a {@link ResourceTemplate} method; each variable needs a parameter of its name.
     *
     * @throws IllegalArgumentException when the method cannot serve the template, saying why
     */
    public RegisteredTemplate template(Object component, Method method, Provider provider) {
        ResourceTemplate t = method.getAnnotation(ResourceTemplate.class);
        UriTemplate template = UriTemplate.parse(t.uriTemplate());
        BoundMethod bound = BoundMethod.of(component, method, mapper);
        Set<String> parameters = bound.properties().stream().map(SchemaGenerator.Property::name)
                .collect(Collectors.toSet());
        if (!parameters.equals(Set.copyOf(template.variables()))) {
            throw new IllegalArgumentException("the parameters " + parameters + " must be the template's variables "
                    + template.variables());
        }
        String mime = emptyToNull(t.mimeType());
        var descriptor = new TemplateDescriptor(t.uriTemplate(), name(t.name(), method), emptyToNull(t.title()),
                emptyToNull(t.description()), mime);
        return new RegisteredTemplate(descriptor, template, new MethodResource(bound, contents, mime,
                cacheFor(t.cacheSeconds())), Map.of(), provider);
    }

    private static Duration cacheFor(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("cacheSeconds must not be negative");
        }
        return seconds == 0 ? null : Duration.ofSeconds(seconds);
    }

    private static void checkUri(String uri) {
        try {
            if (new URI(uri).getScheme() == null) {
                throw new IllegalArgumentException("resource URI '" + uri + "' has no scheme");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("resource URI '" + uri + "' is not a URI: " + e.getReason());
        }
    }

    private static String name(String given, Method method) {
        return given.isEmpty() ? BoundMethod.snakeCase(method.getName()) : given;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
