package dev.plugboard.host.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UriTemplateTest {

    @Test
    void simpleVariablesMatchOneSegmentAndAreDecoded() {
        UriTemplate t = UriTemplate.parse("test://template/{id}/data");
        assertThat(t.variables()).containsExactly("id");
        assertThat(t.match("test://template/123/data")).contains(Map.of("id", "123"));
        assertThat(t.match("test://template/a%20b/data")).contains(Map.of("id", "a b"));
        assertThat(t.match("test://template/1/2/data")).isEmpty();
        assertThat(t.match("test://template//data")).isEmpty();
        assertThat(t.match("test://other/123/data")).isEmpty();
    }

    @Test
    void malformedPercentEncodingMatchesNothing() {
        UriTemplate t = UriTemplate.parse("test://template/{id}/data");
        for (String bad : new String[] {"%zz", "%", "%4", "a%g1"}) {
            assertThat(t.match("test://template/" + bad + "/data")).as(bad).isEmpty();
        }
        assertThat(UriTemplate.parse("file:///{+path}").match("file:///a/%")).isEmpty();
    }

    @Test
    void reservedExpansionMatchesTheRest() {
        UriTemplate t = UriTemplate.parse("file:///{+path}");
        assertThat(t.match("file:///home/user/notes.txt")).contains(Map.of("path", "home/user/notes.txt"));
    }

    @Test
    void literalPartsAreNotPatterns() {
        UriTemplate t = UriTemplate.parse("a.b://x?y={q}");
        assertThat(t.match("a.b://x?y=1")).contains(Map.of("q", "1"));
        assertThat(t.match("aXb://x?y=1")).isEmpty();
    }

    @Test
    void unsupportedOrRepeatedExpressionsAreRejected() {
        assertThatThrownBy(() -> UriTemplate.parse("x://{a}/{a}")).hasMessageContaining("twice");
        assertThatThrownBy(() -> UriTemplate.parse("x://{?a,b}")).hasMessageContaining("unsupported");
    }
}
