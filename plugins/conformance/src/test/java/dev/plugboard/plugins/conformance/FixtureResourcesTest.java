package dev.plugboard.plugins.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.resource.Resource;
import dev.plugboard.api.resource.ResourceTemplate;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FixtureResourcesTest {

    private final FixtureResources resources = new FixtureResources();

    @Test
    void staticTextIsPlainText() throws Exception {
        assertThat(resources.staticText()).isEqualTo("This is the content of the static text resource.");
        assertThat(FixtureResources.class.getMethod("staticText").getAnnotation(Resource.class)).satisfies(r -> {
            assertThat(r.uri()).isEqualTo("test://static-text");
            assertThat(r.name()).isEqualTo("static-text");
            assertThat(r.title()).isEqualTo("Static Text Resource");
            assertThat(r.description()).isEqualTo("A static text resource for testing");
            assertThat(r.mimeType()).isEqualTo("text/plain");
        });
    }

    @Test
    void staticBinaryIsThePng() throws Exception {
        assertThat(Base64.getEncoder().encodeToString(resources.staticBinary())).isEqualTo(TestMedia.IMAGE_BASE64);
        assertThat(FixtureResources.class.getMethod("staticBinary").getAnnotation(Resource.class)).satisfies(r -> {
            assertThat(r.uri()).isEqualTo("test://static-binary");
            assertThat(r.name()).isEqualTo("static-binary");
            assertThat(r.title()).isEqualTo("Static Binary Resource");
            assertThat(r.description()).isEqualTo("A static binary resource (image) for testing");
            assertThat(r.mimeType()).isEqualTo("image/png");
        });
    }

    @Test
    void watchedResourceHasFixedContent() throws Exception {
        assertThat(resources.watchedResource()).isEqualTo("Watched resource content");
        assertThat(FixtureResources.class.getMethod("watchedResource").getAnnotation(Resource.class)).satisfies(r -> {
            assertThat(r.uri()).isEqualTo("test://watched-resource");
            assertThat(r.name()).isEqualTo("watched-resource");
            assertThat(r.title()).isEqualTo("Watched Resource");
            assertThat(r.description()).isEqualTo("A resource clients subscribe to for update notifications");
            assertThat(r.mimeType()).isEqualTo("text/plain");
        });
    }

    @Test
    void templateServesItsIdAsJson() throws Exception {
        var data = resources.template("123");

        assertThat(data).isEqualTo(new FixtureResources.TemplateData("123", true, "Data for ID: 123"));
        // The host serves a record with Jackson, in component order.
        assertThat(new ObjectMapper().writeValueAsString(data))
                .isEqualTo("{\"id\":\"123\",\"templateTest\":true,\"data\":\"Data for ID: 123\"}");
        assertThat(FixtureResources.class.getMethod("template", String.class).getAnnotation(ResourceTemplate.class))
                .satisfies(t -> {
                    assertThat(t.uriTemplate()).isEqualTo("test://template/{id}/data");
                    assertThat(t.name()).isEqualTo("template");
                    assertThat(t.title()).isEqualTo("Resource Template");
                    assertThat(t.description()).isEqualTo("A resource template with parameter substitution");
                    assertThat(t.mimeType()).isEqualTo("application/json");
                });
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''   | 123,456,789
            1    | 123
            45   | 456
            9    | ''
            """)
    void completesTheTemplateIdByPrefix(String prefix, String expected) {
        assertThat(String.join(",", resources.completeId(prefix))).isEqualTo(expected);
    }
}
