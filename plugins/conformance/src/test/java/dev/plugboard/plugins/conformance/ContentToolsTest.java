package dev.plugboard.plugins.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.api.content.AudioContent;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.content.EmbeddedResource;
import dev.plugboard.api.content.ImageContent;
import dev.plugboard.api.content.ResourceContents;
import dev.plugboard.api.content.TextContent;
import dev.plugboard.api.tool.ToolResult;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ContentToolsTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final ContentTools tools = new ContentTools();

    @Test
    void simpleTextReturnsTheFixtureSentence() {
        assertThat(tools.simpleText()).isEqualTo("This is a simple text response for testing.");
    }

    @Test
    void imageContentIsTheOnePixelPng() {
        ToolResult result = tools.imageContent();

        assertThat(result.error()).isFalse();
        assertThat(result.content()).singleElement().isInstanceOfSatisfying(ImageContent.class, image -> {
            assertThat(image.mimeType()).isEqualTo("image/png");
            assertThat(image.data()).hasSize(70).startsWith(PNG_SIGNATURE);
            assertThat(Base64.getEncoder().encodeToString(image.data())).isEqualTo(TestMedia.IMAGE_BASE64);
        });
    }

    @Test
    void audioContentIsTheWavHeaderWithExactlyAudioWav() {
        ToolResult result = tools.audioContent();

        assertThat(result.content()).singleElement().isInstanceOfSatisfying(AudioContent.class, audio -> {
            assertThat(audio.mimeType()).isEqualTo("audio/wav");
            assertThat(audio.data()).hasSize(44).startsWith('R', 'I', 'F', 'F');
            assertThat(Base64.getEncoder().encodeToString(audio.data())).isEqualTo(TestMedia.AUDIO_BASE64);
        });
    }

    @Test
    void embeddedResourceIsPlainText() {
        assertThat(tools.embeddedResource().content()).containsExactly(Content.embed(
                ResourceContents.text("test://embedded-resource", "text/plain", "This is an embedded resource content.")));
    }

    @Test
    void multipleContentTypesAreTextImageAndJsonResourceInOrder() {
        var content = tools.multipleContentTypes().content();

        assertThat(content).hasSize(3);
        assertThat(content.get(0)).isEqualTo(new TextContent("Multiple content types test:", null));
        assertThat(content.get(1)).isInstanceOfSatisfying(ImageContent.class,
                image -> assertThat(image.mimeType()).isEqualTo("image/png"));
        assertThat(content.get(2)).isEqualTo(new EmbeddedResource(ResourceContents.text(
                "test://mixed-content-resource", "application/json", "{\"test\":\"data\",\"value\":123}"), null));
    }

    @Test
    void errorHandlingReturnsAnErrorResultRatherThanThrowing() {
        ToolResult result = tools.errorHandling();

        assertThat(result.error()).isTrue();
        assertThat(result.content()).containsExactly(
                Content.text("This tool intentionally returns an error for testing"));
    }

    @Test
    void everyCallGetsItsOwnBytes() {
        var first = (ImageContent) tools.imageContent().content().get(0);
        first.data()[0] = 0;

        var second = (ImageContent) tools.imageContent().content().get(0);
        assertThat(second.data()).startsWith(PNG_SIGNATURE);
    }
}
