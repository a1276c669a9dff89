package dev.plugboard.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    private static final String DOCUMENT = """
            {"id": 7, "name": "Ada \\"Countess\\" Lovelace", "ratio": -0.125, "big": 1.5E+300,
             "tags": ["math", "poetry", []], "address": {"city": "London", "zip": null},
             "active": true, "retired": false, "notes": "line1\\nline2\\ttab \\u00e9 \\ud83d\\ude00 \\\\ /"}""";

    @Nested
    class Reading {

        @Test
        void readsObjectsAsOrderedMapsArraysAsListsAndNumbersAsBigDecimals() {
            Object value = Json.parse(DOCUMENT);

            assertThat(value).isInstanceOf(LinkedHashMap.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) value;
            assertThat(map.keySet()).containsExactly("id", "name", "ratio", "big", "tags", "address", "active",
                    "retired", "notes");
            assertThat(map.get("id")).isEqualTo(new BigDecimal("7"));
            assertThat(map.get("ratio")).isEqualTo(new BigDecimal("-0.125"));
            assertThat(map.get("big")).isEqualTo(new BigDecimal("1.5E+300"));
            assertThat(map.get("name")).isEqualTo("Ada \"Countess\" Lovelace");
            assertThat(map.get("tags")).isInstanceOf(ArrayList.class).isEqualTo(List.of("math", "poetry", List.of()));
            assertThat(map.get("address")).isEqualTo(mapOf("city", "London", "zip", Json.NULL));
            assertThat(map.get("active")).isEqualTo(Boolean.TRUE);
            assertThat(map.get("retired")).isEqualTo(Boolean.FALSE);
            assertThat(map.get("notes")).isEqualTo("line1\nline2\ttab \u00e9 \ud83d\ude00 \\ /");
        }

        @Test
        void readsNullAsTheNullSentinelWhichWritesAsNull() {
            assertThat(Json.parse("null")).isSameAs(Json.NULL);
            assertThat(Json.NULL).hasToString("null");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"0", "-0", "42", "-17", "0.5", "3.14159", "1e10", "1E-7", "2.5e+3",
            "123456789012345678901234567890.000000000000000000001", "1e400", "-1e-400"})
        void readsNumbersExactly(String number) {
            assertThat(Json.parse(number)).isEqualTo(new BigDecimal(number));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.plugboard.plugins.essentials.JsonTest#escapes")
        void decodesStringEscapes(String json, String expected) {
            assertThat(Json.parse(json)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"true", "  true", "true  ", "\t\r\n true \n", "\"\"", "[]", "{}", "[ ]", "{\n}"})
        void acceptsJsonWhitespaceAroundAnyValue(String json) {
            assertThat(Json.parse(json)).isNotNull();
        }

        @Test
        void acceptsExactlyFiveHundredLevelsOfNesting() {
            Object value = Json.parse("[".repeat(500) + "]".repeat(500));

            int depth = 0;
            while (value instanceof List<?> list) {
                depth++;
                value = list.isEmpty() ? null : list.get(0);
            }
            assertThat(depth).isEqualTo(500);
        }

        @Test
        void rejectsNestingDeeperThanFiveHundredLevels() {
            assertThatThrownBy(() -> Json.parse("[".repeat(501) + "]".repeat(501)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("nested more than 500 levels deep at line 1, column 501");
        }

        @Test
        void countsObjectsAndArraysTogetherTowardsTheNestingLimit() {
            String deep = "{\"a\":[".repeat(251) + "]}".repeat(251);

            assertThatThrownBy(() -> Json.parse(deep))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("nested more than 500 levels deep");
        }

        @Test
        void rejectsAPathologicallyDeepDocumentWithoutOverflowingTheStack() {
            assertThatThrownBy(() -> Json.parse("[".repeat(1_000_000)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("nested more than 500 levels deep");
        }

        @Test
        void readsALargeFlatArray() {
            String json = "[" + "1,".repeat(99_999) + "1]";

            assertThat((List<?>) Json.parse(json)).hasSize(100_000);
        }
    }

    static Stream<Arguments> escapes() {
        return Stream.of(
                arguments("\"\\\"\"", "\""),
                arguments("\"\\\\\"", "\\"),
                arguments("\"\\/\"", "/"),
                arguments("\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t"),
                arguments("\"\\u0041\"", "A"),
                arguments("\"\\u00e9\\u00E9\"", "\u00e9\u00e9"),
                arguments("\"\\u0000\"", "\u0000"),
                arguments("\"\\u20AC100\"", "\u20ac100"),
                arguments("\"\\uD83D\\uDE00\"", "\ud83d\ude00"),
                arguments("\"caf\u00e9 \u65e5\u672c \ud83c\udf0d\"", "caf\u00e9 \u65e5\u672c \ud83c\udf0d"),
                arguments("\"\u007f\"", "\u007f"));
    }

    @Nested
    class Strictness {

        @ParameterizedTest(name = "[{0}] -> {1}")
        @MethodSource("dev.plugboard.plugins.essentials.JsonTest#invalidDocuments")
        void rejectsInvalidJsonNamingTheFirstErrorAndItsPosition(String json, String message) {
            assertThatThrownBy(() -> Json.parse(json))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }

        @Test
        void reportsLineAndColumnOfAnErrorOnALaterLine() {
            String json = "{\n  \"a\": [1, 2],\n  \"b\": [3,, 4]\n}";

            assertThatThrownBy(() -> Json.parse(json))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unexpected character ',' at line 3, column 11");
        }

        @Test
        void reportsADuplicateKeyEvenWhenTheFirstValueWasNull() {
            assertThatThrownBy(() -> Json.parse("{\"k\": null, \"k\": null}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("duplicate key \"k\"");
        }

        @Test
        void treatsKeysThatDifferOnlyInCaseAsDistinct() {
            assertThat((Map<?, ?>) Json.parse("{\"k\": 1, \"K\": 2}")).hasSize(2);
        }

        @Test
        void treatsAnEscapedKeyAsTheSameKeyAsItsLiteralForm() {
            assertThatThrownBy(() -> Json.parse("{\"A\": 1, \"\\u0041\": 2}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("duplicate key \"A\"");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"\"\\u+041\"", "\"\\u-041\""})
        void rejectsSignedHexInUnicodeEscapes(String json) {
            assertThatThrownBy(() -> Json.parse(json))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid \\u escape");
        }
    }

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                // empty input
                arguments("", "unexpected end of input at line 1, column 1"),
                arguments(" \n ", "unexpected end of input at line 2, column 2"),
                // duplicate keys
                arguments("{\"a\":1,\"a\":2}", "duplicate key \"a\" at line 1, column 13"),
                arguments("{\"a\":{\"b\":1,\"b\":1}}", "duplicate key \"b\" at line 1, column 18"),
                // trailing and missing commas
                arguments("[1,2,]", "unexpected character ']' at line 1, column 6"),
                arguments("{\"a\":1,}", "expected a string key at line 1, column 8"),
                arguments("[,1]", "unexpected character ',' at line 1, column 2"),
                arguments("[1 2]", "expected ']' at line 1, column 4"),
                arguments("{\"a\":1 \"b\":2}", "expected '}' at line 1, column 8"),
                // structure
                arguments("[1", "expected ']' at line 1, column 3"),
                arguments("{", "expected a string key at line 1, column 2"),
                arguments("{\"a\"", "expected ':' at line 1, column 5"),
                arguments("{\"a\":", "unexpected end of input at line 1, column 6"),
                arguments("{1:2}", "expected a string key at line 1, column 2"),
                arguments("{a:1}", "expected a string key at line 1, column 2"),
                arguments("]", "unexpected character ']' at line 1, column 1"),
                arguments("[] []", "unexpected text after the value at line 1, column 4"),
                arguments("'text'", "unexpected character ''' at line 1, column 1"),
                arguments("// comment\n1", "unexpected character '/' at line 1, column 1"),
                // literals
                arguments("True", "unexpected character 'T' at line 1, column 1"),
                arguments("nul", "unexpected characters at line 1, column 1"),
                arguments("truex", "unexpected text after the value at line 1, column 5"),
                arguments("undefined", "unexpected character 'u' at line 1, column 1"),
                // numbers: leading zeros, signs, fractions, exponents, non-finite values
                arguments("01", "unexpected text after the value at line 1, column 2"),
                arguments("[00]", "expected ']' at line 1, column 3"),
                arguments("-01", "unexpected text after the value at line 1, column 3"),
                arguments("+1", "unexpected character '+' at line 1, column 1"),
                arguments(".5", "unexpected character '.' at line 1, column 1"),
                arguments("1.", "invalid number: digits expected after '.' at line 1, column 3"),
                arguments("1.e5", "invalid number: digits expected after '.' at line 1, column 3"),
                arguments("1e", "invalid number: digits expected in the exponent at line 1, column 3"),
                arguments("1e+", "invalid number: digits expected in the exponent at line 1, column 4"),
                arguments("-", "invalid number at line 1, column 2"),
                arguments("-a", "invalid number at line 1, column 2"),
                arguments("0x1F", "unexpected text after the value at line 1, column 2"),
                arguments("NaN", "unexpected character 'N' at line 1, column 1"),
                arguments("-Infinity", "invalid number at line 1, column 2"),
                // strings: control characters, escapes, termination
                arguments("\"a\tb\"", "control character in string at line 1, column 4"),
                arguments("\"a\nb\"", "control character in string at line 2, column 1"),
                arguments("\"\u0000\"", "control character in string at line 1, column 3"),
                arguments("\"\u001f\"", "control character in string at line 1, column 3"),
                arguments("\"\\x\"", "invalid escape \\x at line 1, column 4"),
                arguments("\"\\'\"", "invalid escape \\' at line 1, column 4"),
                arguments("\"\\U0041\"", "invalid escape \\U at line 1, column 4"),
                arguments("\"\\u12\"", "truncated \\u escape at line 1, column 4"),
                arguments("\"\\u12", "truncated \\u escape at line 1, column 4"),
                arguments("\"\\u12G4\"", "invalid \\u escape at line 1, column 4"),
                arguments("\"abc", "unterminated string at line 1, column 5"),
                arguments("\"abc\\", "unterminated escape at line 1, column 6"),
                // only space, tab, CR and LF are whitespace
                arguments("\u00a01", "unexpected character '\u00a0' at line 1, column 1"),
                arguments("\f1", "unexpected character '\f' at line 1, column 1"),
                arguments("\ufeff{}", "unexpected character '\ufeff' at line 1, column 1"));
    }

    @Nested
    class Writing {

        @Test
        void writesOnOneLineWithIndentZero() {
            assertThat(Json.write(Json.parse(DOCUMENT), 0)).isEqualTo("{\"id\":7,\"name\":\"Ada \\\"Countess\\\" "
                    + "Lovelace\",\"ratio\":-0.125,\"big\":1.5E+300,\"tags\":[\"math\",\"poetry\",[]],\"address\":"
                    + "{\"city\":\"London\",\"zip\":null},\"active\":true,\"retired\":false,\"notes\":\"line1\\nline2"
                    + "\\ttab \u00e9 \ud83d\ude00 \\\\ /\"}");
        }

        @Test
        void indentsNestedContainersAndKeepsEmptyOnesOnOneLine() {
            Object value = Json.parse("{\"a\":[1,{\"b\":[]}],\"c\":{}}");

            assertThat(Json.write(value, 3)).isEqualTo("""
                    {
                       "a": [
                          1,
                          {
                             "b": []
                          }
                       ],
                       "c": {}
                    }""");
        }

        @Test
        void writesScalars() {
            assertThat(Json.write(Json.NULL, 2)).isEqualTo("null");
            assertThat(Json.write(Boolean.TRUE, 2)).isEqualTo("true");
            assertThat(Json.write(new BigDecimal("-1.50"), 2)).isEqualTo("-1.50");
            assertThat(Json.write("x", 2)).isEqualTo("\"x\"");
        }

        @Test
        void escapesQuotesBackslashesAndControlCharactersButNotSlashesOrNonAscii() {
            String text = "\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u00e9\u2028\ud83d\ude00";

            assertThat(Json.write(text, 0)).isEqualTo(
                    "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\u007f\u00e9\u2028\ud83d\ude00\"");
        }

        @Test
        void escapesKeysLikeStrings() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("a\"b\nc", BigDecimal.ONE);

            assertThat(Json.write(map, 0)).isEqualTo("{\"a\\\"b\\nc\":1}");
        }

        @Test
        void writesInsertionOrderOfMaps() {
            assertThat(Json.write(mapOf("z", BigDecimal.ONE, "a", BigDecimal.TWO), 0)).isEqualTo("{\"z\":1,\"a\":2}");
        }
    }

    @Nested
    class RoundTrips {

        @ParameterizedTest(name = "indent {0}")
        @ValueSource(ints = {0, 1, 2, 4, 8})
        void parsingWhatWasWrittenGivesAnEqualValue(int indent) {
            Object value = Json.parse(DOCUMENT);

            assertThat(Json.parse(Json.write(value, indent))).isEqualTo(value);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{}", "[]", "\"\"", "0", "-0.5", "1E+300", "true", "false", "null",
            "{\"a\":[1,[2,[3,{}]]],\"b\":\"\\\\\\\"\"}", "[\"\\u0001\",\"\\b\"]", "[null,true,false,\"\"]"})
        void compactCanonicalTextIsReproducedExactly(String json) {
            assertThat(Json.write(Json.parse(json), 0)).isEqualTo(json);
        }

        @Test
        void everyCharacterOfTheBasicPlaneSurvivesARoundTrip() {
            StringBuilder sb = new StringBuilder();
            for (char c = 0; c < 0xD800; c++) {
                sb.append(c);
            }
            String text = sb.toString();

            assertThat(Json.parse(Json.write(text, 0))).isEqualTo(text);
        }
    }

    private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
