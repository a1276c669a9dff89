package dev.plugboard.plugins.conformance;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.completion.Completion;
import dev.plugboard.api.resource.Resource;
import dev.plugboard.api.resource.ResourceTemplate;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * Conformance resources: static text and binary, a resource to subscribe to, and a template with
 * completion of its variable ({@code resources-*} scenarios).
 */
@Component(service = FixtureResources.class)
@McpProvider
public class FixtureResources {

    /** The URI template of {@link #template}. */
    static final String TEMPLATE = "test://template/{id}/data";

    /** The IDs that completion suggests for the template's {@code id}. */
    static final List<String> SAMPLE_IDS = List.of("123", "456", "789");

    @Resource(uri = "test://static-text", name = "static-text", title = "Static Text Resource",
            description = "A static text resource for testing", mimeType = "text/plain")
    public String staticText() {
        return "This is the content of the static text resource.";
    }

    @Resource(uri = "test://static-binary", name = "static-binary", title = "Static Binary Resource",
            description = "A static binary resource (image) for testing", mimeType = TestMedia.PNG)
    public byte[] staticBinary() {
        return TestMedia.png();
    }

    @Resource(uri = "test://watched-resource", name = "watched-resource", title = "Watched Resource",
            description = "A resource clients subscribe to for update notifications", mimeType = "text/plain")
    public String watchedResource() {
        return "Watched resource content";
    }

    /**
     * What the template serves, as JSON.
     *
     * @param id the ID taken from the URI
     * @param templateTest always true: marks the data as coming from the template
     * @param data a text naming the ID
     */
    public record TemplateData(String id, boolean templateTest, String data) {
    }

    @ResourceTemplate(uriTemplate = TEMPLATE, name = "template", title = "Resource Template",
            description = "A resource template with parameter substitution", mimeType = "application/json")
    public TemplateData template(String id) {
        return new TemplateData(id, true, "Data for ID: " + id);
    }

    @Completion(resourceTemplate = TEMPLATE, argument = "id")
    public List<String> completeId(String prefix) {
        return SAMPLE_IDS.stream().filter(id -> id.startsWith(prefix)).toList();
    }
}
