package dev.plugboard.plugins.conformance;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.content.ResourceContents;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/**
 * Conformance tools that return each kind of content block, and an error result
 * ({@code tools-call-*} scenarios).
 */
@Component(service = ContentTools.class)
@McpProvider
public class ContentTools {

    @Tool(name = "test_simple_text", description = "Tests simple text content response",
            readOnly = true, idempotent = true, openWorld = false)
    public String simpleText() {
        return "This is a simple text response for testing.";
    }

    @Tool(name = "test_image_content", description = "Tests image content response",
            readOnly = true, idempotent = true, openWorld = false)
    public ToolResult imageContent() {
        return ToolResult.of(Content.image(TestMedia.png(), TestMedia.PNG));
    }

    @Tool(name = "test_audio_content", description = "Tests audio content response",
            readOnly = true, idempotent = true, openWorld = false)
    public ToolResult audioContent() {
        return ToolResult.of(Content.audio(TestMedia.wav(), TestMedia.WAV));
    }

    @Tool(name = "test_embedded_resource", description = "Tests embedded resource content response",
            readOnly = true, idempotent = true, openWorld = false)
    public ToolResult embeddedResource() {
        return ToolResult.of(Content.embed(ResourceContents.text("test://embedded-resource", "text/plain",
                "This is an embedded resource content.")));
    }

    @Tool(name = "test_multiple_content_types",
            description = "Tests response with multiple content types (text, image, resource)",
            readOnly = true, idempotent = true, openWorld = false)
    public ToolResult multipleContentTypes() {
        return ToolResult.of(
                Content.text("Multiple content types test:"),
                Content.image(TestMedia.png(), TestMedia.PNG),
                Content.embed(ResourceContents.text("test://mixed-content-resource", "application/json",
                        "{\"test\":\"data\",\"value\":123}")));
    }

    @Tool(name = "test_error_handling", description = "Tests error response handling",
            readOnly = true, idempotent = true, openWorld = false)
    public ToolResult errorHandling() {
        return ToolResult.error("This tool intentionally returns an error for testing");
    }
}
