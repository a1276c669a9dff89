package dev.plugboard.console.complete;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UriTemplateTest {

    @Test
    void simpleVariablesAreEncodedAndEmptyOnesLeftOut() {
        UriTemplate t = UriTemplate.parse("console://colours/{name}/shades{?light,dark}");
        assertThat(t.variables()).containsExactly("name", "light", "dark");
        assertThat(t.expand(Map.of("name", "deep blue/x", "dark", "yes"))).isEqualTo(
                "console://colours/deep%20blue%2Fx/shades?dark=yes");
        assertThat(t.expand(Map.of())).isEqualTo("console://colours//shades");
    }

    @Test
    void everyOperatorOfLevelThree() {
        Map<String, String> v = Map.of("a", "x/y", "b", "2");
        assertThat(UriTemplate.parse("{+a}").expand(v)).isEqualTo("x/y");
        assertThat(UriTemplate.parse("{#a}").expand(v)).isEqualTo("#x/y");
        assertThat(UriTemplate.parse("{.a,b}").expand(v)).isEqualTo(".x%2Fy.2");
        assertThat(UriTemplate.parse("{/a,b}").expand(v)).isEqualTo("/x%2Fy/2");
        assertThat(UriTemplate.parse("{;a,b}").expand(v)).isEqualTo(";a=x%2Fy;b=2");
        assertThat(UriTemplate.parse("p{?a,b}{&b}").expand(v)).isEqualTo("p?a=x%2Fy&b=2&b=2");
        assertThat(UriTemplate.parse("{a*,b:3}").variables()).containsExactly("a", "b");
        assertThat(UriTemplate.parse("odd{brace").expand(v)).isEqualTo("odd{brace");
        assertThat(UriTemplate.parse("{a}é").expand(Map.of("a", "é"))).isEqualTo("%C3%A9é");
    }

    @Test
    void argumentsComeFromTheirFormFieldsOnly() {
        Map<String, List<String>> form = Map.of("a.colour", List.of("red"), "a.wall", List.of(""), "csrf",
                List.of("t"), "_argument", List.of("colour"));
        assertThat(Argument.given(form)).containsExactly(Map.entry("colour", "red"));
        assertThat(Argument.idOf("wall \"x\"")).isEqualTo("arg-wall_32__34_x_34_");
    }
}
