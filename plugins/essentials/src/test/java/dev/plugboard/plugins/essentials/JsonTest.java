package dev.plugboard.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** What the JSON tools add to Jackson: strictness, exact numbers, plain errors, chosen indentation. */
class JsonTest {

    @Test
    void keepsNumbersExactlyAsWritten() {
        assertThat(Json.write(Json.parse("{\"z\":0.1000,\"a\":123456789012345678901234567890,\"big\":1.5E+300}"), 0))
                .isEqualTo("{\"z\":0.1000,\"a\":123456789012345678901234567890,\"big\":1.5E+300}");
    }

    @Test
    void rejectsDuplicateKeysIncludingAnEscapedSpelling() {
        assertThatThrownBy(() -> Json.parse("{\"k\": null, \"k\": null}")).hasMessageStartingWith("duplicate key \"k\"");
        assertThatThrownBy(() -> Json.parse("{\"A\": 1, \"\\u0041\": 2}")).hasMessageStartingWith("duplicate key \"A\"");
        assertThat(Json.parse("{\"k\": 1, \"K\": 2}").size()).isEqualTo(2);
    }

    @Test
    void acceptsFiveHundredLevelsOfNestingAndNoMore() {
        JsonNode value = Json.parse("[".repeat(500) + "]".repeat(500));
        int depth = 0;
        while (value != null && value.isArray()) {
            depth++;
            value = value.get(0);
        }
        assertThat(depth).isEqualTo(500);
        assertThatThrownBy(() -> Json.parse("[".repeat(501) + "]".repeat(501)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nested more than 500 levels deep");
        assertThatThrownBy(() -> Json.parse("[".repeat(1_000_000)))
                .hasMessageStartingWith("nested more than 500 levels deep");
    }

    @Test
    void rejectsEmptyInputAndTrailingText() {
        assertThatThrownBy(() -> Json.parse("  ")).hasMessage("unexpected end of input at line 1, column 1");
        assertThatThrownBy(() -> Json.parse("{} []")).hasMessageStartingWith("unexpected text after the value at line 1");
    }

    @Test
    void errorsNameNoParserInternals() {
        for (String bad : new String[] {"{\"a\": 1,}", "[1, 2,]", "{\"a\" 1}", "[1 2]", "{\"a\": tru}", "\"\\u+041\"", "[\"a\u0001\"]"}) {
            assertThatThrownBy(() -> Json.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("[a-z][^\\n]* at line \\d+, column \\d+")
                    .hasMessageNotContaining("Jackson")
                    .hasMessageNotContaining("Source");
        }
    }

    @Test
    void writesWithTheIndentationAskedAndEmptyContainersClosed() {
        JsonNode value = Json.parse("{\"a\":[1,{}],\"b\":[],\"c\":\"x\\ny\"}");
        assertThat(Json.write(value, 3)).isEqualTo("""
                {
                   "a": [
                      1,
                      {}
                   ],
                   "b": [],
                   "c": "x\\ny"
                }""");
        assertThat(Json.write(value, 0)).isEqualTo("{\"a\":[1,{}],\"b\":[],\"c\":\"x\\ny\"}");
        assertThat(Json.parse(Json.write(value, 5))).isEqualTo(value);
    }
}
