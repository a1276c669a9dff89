package dev.plugboard.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.tool.ToolException;
import dev.plugboard.plugins.essentials.TextTools.Case;
import dev.plugboard.plugins.essentials.TextTools.TextStats;
import java.util.Locale;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextToolsTest {

    private final TextTools tools = new TextTools();

    @Nested
    class TextStatistics {

        @Test
        void emptyTextHasNoCharactersWordsLinesOrSentences() {
            assertThat(tools.textStats("")).isEqualTo(new TextStats(0, 0, 0, 0));
        }

        @Test
        void countsAnOrdinaryParagraph() {
            assertThat(tools.textStats("Hello, world! How are you today? I'm fine.\nThanks."))
                    .isEqualTo(new TextStats(50, 9, 2, 4));
        }

        @ParameterizedTest(name = "{0} -> {1} lines")
        @CsvSource(delimiter = '|', textBlock = """
            a                    | 1
            a\\n                 | 1
            a\\nb                | 2
            a\\nb\\n             | 2
            \\n                  | 1
            \\n\\n               | 2
            a\\r\\nb\\r\\n       | 2
            ' '                  | 1
            """)
        void countsLinesWithAFinalLineWithoutNewlineCountingToo(String escaped, int lines) {
            String text = escaped.replace("\\r", "\r").replace("\\n", "\n");

            assertThat(tools.textStats(text).lines()).isEqualTo(lines);
        }

        @ParameterizedTest(name = "{0} -> {1} words")
        @CsvSource(delimiter = '|', textBlock = """
            one                          | 1
            one two  three               | 3
            '  padded   words  '         | 2
            don't can’t                  | 2
            rock'n'roll                  | 1
            state-of-the-art             | 4
            snake_case_name              | 3
            42 apples and 3.5 pears      | 6
            'trailing apostrophe'' x'    | 3
            ...!?                        | 0
            """)
        void countsWordsAsRunsOfLettersAndDigitsJoinedByApostrophes(String text, int words) {
            assertThat(tools.textStats(text).words()).isEqualTo(words);
        }

        @ParameterizedTest(name = "{0} -> {1} sentences")
        @CsvSource(delimiter = '|', textBlock = """
            No full stop                 | 0
            One.                         | 1
            One. Two! Three?             | 3
            Wait... what?!               | 2
            Pi is 3.14 exactly.          | 1
            Visit example.com today      | 0
            'Line one.\\nLine two.'      | 2
            """)
        void countsSentencesEndingInPunctuationFollowedBySpaceOrTheEnd(String text, int sentences) {
            assertThat(tools.textStats(text.replace("\\n", "\n")).sentences()).isEqualTo(sentences);
        }

        @Test
        void countsCharactersAsCodePointsSoEmojiAndAstralLettersCountOnce() {
            TextStats stats = tools.textStats("I \u2764\ufe0f \ud83c\udf0d \ud801\udc00");

            assertThat(stats.characters()).isEqualTo(8);
            assertThat(stats.words()).isEqualTo(2);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
            Привет, мир! Как дела?          | 22 | 4 | 1 | 2
            Γειά σου κόσμε.                 | 15 | 3 | 1 | 1
            שלום עולם                       |  9 | 2 | 1 | 0
            مرحبا بالعالم                   | 13 | 2 | 1 | 0
            こんにちは 世界                   |  8 | 2 | 1 | 0
            안녕하세요 세계. 반갑습니다!        | 16 | 3 | 1 | 2
            """)
        void countsNonLatinScripts(String text, int characters, int words, int lines, int sentences) {
            assertThat(tools.textStats(text)).isEqualTo(new TextStats(characters, words, lines, sentences));
        }

        @ParameterizedTest(name = "{0} -> {1} words")
        @CsvSource(delimiter = '|', textBlock = """
            नमस्ते दुनिया                    | 2
            nai\u0308ve cafe\u0301          | 2
            """)
        void wordsKeepTheirCombiningMarks(String text, int words) {
            assertThat(tools.textStats(text).words()).isEqualTo(words);
        }
    }

    @Nested
    class ChangeCase {

        @ParameterizedTest(name = "{0} as {1} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            parseHTTPResponse       | SNAKE | parse_http_response
            parseHTTPResponse       | KEBAB | parse-http-response
            parseHTTPResponse       | CAMEL | parseHttpResponse
            parseHTTPResponse       | TITLE | Parse Http Response
            parseHTTPResponse       | UPPER | PARSEHTTPRESPONSE
            parseHTTPResponse       | LOWER | parsehttpresponse
            XMLHttpRequest          | SNAKE | xml_http_request
            getURL                  | KEBAB | get-url
            IOError                 | SNAKE | io_error
            version2Update          | SNAKE | version2_update
            iPhone                  | KEBAB | i-phone
            hello world             | CAMEL | helloWorld
            Hello World             | SNAKE | hello_world
            hello_world-foo bar     | CAMEL | helloWorldFooBar
            HELLO_WORLD             | CAMEL | helloWorld
            HELLO_WORLD             | TITLE | Hello World
            the quick brown fox     | TITLE | The Quick Brown Fox
            '  spaced   out  '      | KEBAB | spaced-out
            already_snake_case      | SNAKE | already_snake_case
            already-kebab-case      | KEBAB | already-kebab-case
            alreadyCamelCase        | CAMEL | alreadyCamelCase
            Hello, World!           | SNAKE | hello_world
            Hello, World!           | UPPER | HELLO, WORLD!
            Hello, World!           | LOWER | hello, world!
            chapter 2 section 10    | CAMEL | chapter2Section10
            """)
        void rewritesTextInTheRequestedCase(String text, Case style, String expected) {
            assertThat(tools.changeCase(text, style)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Case.class)
        void emptyTextStaysEmptyInEveryCase(Case style) {
            assertThat(tools.changeCase("", style)).isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = Case.class, names = {"SNAKE", "KEBAB", "CAMEL", "TITLE"})
        void punctuationOnlyTextHasNoWordsInJoinedCases(Case style) {
            assertThat(tools.changeCase("!? -- ...", style)).isEmpty();
        }

        @Test
        void upperAndLowerKeepEverythingButTheLetterCase() {
            assertThat(tools.changeCase("straße 1-2 ÉTÉ", Case.UPPER)).isEqualTo("STRASSE 1-2 ÉTÉ");
            assertThat(tools.changeCase("\u0130stanbul \u00c9T\u00c9", Case.LOWER))
                    .isEqualTo("i\u0307stanbul \u00e9t\u00e9");
        }

        @Test
        void upperAndLowerIgnoreTheDefaultLocale() {
            Locale saved = Locale.getDefault();
            try {
                Locale.setDefault(Locale.forLanguageTag("tr"));
                assertThat(tools.changeCase("title", Case.UPPER)).isEqualTo("TITLE");
                assertThat(tools.changeCase("TITLE", Case.LOWER)).isEqualTo("title");
                assertThat(tools.changeCase("TITLE ID", Case.SNAKE)).isEqualTo("title_id");
            } finally {
                Locale.setDefault(saved);
            }
        }

        @ParameterizedTest(name = "{0} as {1} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            Привет Мир              | SNAKE | привет_мир
            Привет Мир              | CAMEL | приветМир
            приветМир               | KEBAB | привет-мир
            γειά σου κόσμε          | TITLE | Γειά Σου Κόσμε
            über straße             | CAMEL | überStraße
            東京 タワー               | SNAKE | 東京_タワー
            """)
        void handlesNonLatinLetters(String text, Case style, String expected) {
            assertThat(tools.changeCase(text, style)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} as {1} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            नमस्ते दुनिया                    | SNAKE | नमस्ते_दुनिया
            nai\u0308ve cafe\u0301          | KEBAB | nai\u0308ve-cafe\u0301
            """)
        void keepsCombiningMarksInsideWords(String text, Case style, String expected) {
            assertThat(tools.changeCase(text, style)).isEqualTo(expected);
        }

        @Test
        void titleCaseKeepsContractionsWhole() {
            assertThat(tools.changeCase("don't stop", Case.TITLE)).isEqualTo("Don't Stop");
        }

        @Test
        void titleCaseCapitalisesLettersOutsideTheBasicPlane() {
            assertThat(tools.changeCase("\ud801\udc28\ud801\udc28", Case.TITLE)).isEqualTo("\ud801\udc00\ud801\udc28");
        }
    }

    @Nested
    class FormatJson {

        private static final String DOCUMENT = "{\"name\":\"Ada\",\"tags\":[\"math\",\"code\"],\"born\":1815,"
                + "\"alive\":false,\"spouse\":null,\"empty\":{},\"none\":[]}";

        @Test
        void indentTwoWritesTwoSpacesPerLevel() {
            assertThat(tools.formatJson(DOCUMENT, 2)).isEqualTo("""
                    {
                      "name": "Ada",
                      "tags": [
                        "math",
                        "code"
                      ],
                      "born": 1815,
                      "alive": false,
                      "spouse": null,
                      "empty": {},
                      "none": []
                    }""");
        }

        @Test
        void indentZeroWritesOneCompactLine() {
            assertThat(tools.formatJson("{ \"a\" : [ 1 , 2 ] ,\n \"b\" : { \"c\" : true } }", 0))
                    .isEqualTo("{\"a\":[1,2],\"b\":{\"c\":true}}");
        }

        @Test
        void indentEightUsesEightSpacesPerLevel() {
            assertThat(tools.formatJson("{\"a\":[1]}", 8)).isEqualTo("{\n        \"a\": [\n                1\n        ]\n}");
        }

        @Test
        void keepsMemberOrderAndNumberPrecision() {
            assertThat(tools.formatJson("{\"z\":0.1000,\"a\":123456789012345678901234567890,\"m\":-1.5e-3}", 0))
                    .isEqualTo("{\"z\":0.1000,\"a\":123456789012345678901234567890,\"m\":-0.0015}");
        }

        @Test
        void formatsScalarsAtTheTopLevel() {
            assertThat(tools.formatJson("  \"text\"  ", 2)).isEqualTo("\"text\"");
            assertThat(tools.formatJson("42", 2)).isEqualTo("42");
            assertThat(tools.formatJson("null", 2)).isEqualTo("null");
        }

        @Test
        void formattingIsIdempotent() {
            String once = tools.formatJson(DOCUMENT, 4);

            assertThat(tools.formatJson(once, 4)).isEqualTo(once);
            assertThat(tools.formatJson(once, 0)).isEqualTo(tools.formatJson(DOCUMENT, 0));
        }

        @ParameterizedTest(name = "indent {0}")
        @ValueSource(ints = {-1, 9, 100, Integer.MIN_VALUE})
        void rejectsIndentOutsideZeroToEight(int indent) {
            assertThatThrownBy(() -> tools.formatJson("{}", indent))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("indent must be between 0 and 8");
        }

        @ParameterizedTest(name = "indent {0}")
        @ValueSource(ints = {0, 1, 8})
        void acceptsIndentAtTheBounds(int indent) {
            assertThat(tools.formatJson("[true]", indent)).contains("true");
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            {"a": 1,}                   | expected a string key at line 1, column 9
            [1, 2,]                     | unexpected character ']' at line 1, column 7
            {"a" 1}                     | expected ':' at line 1, column 6
            {'a': 1}                    | expected a string key at line 1, column 2
            [1 2]                       | expected ']' at line 1, column 4
            ''                          | unexpected end of input at line 1, column 1
            {"a": tru}                  | unexpected characters at line 1, column 10
            {"a": 1} x                  | unexpected characters at line 1, column 11
            {"a": 1} []                 | unexpected text after the value at line 1, column 10
            """)
        void reportsTheFirstErrorWithLineAndColumn(String json, String detail) {
            assertThatThrownBy(() -> tools.formatJson(json, 2))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("invalid JSON: " + detail);
        }

        @Test
        void countsLinesAndColumnsAcrossNewlines() {
            assertThatThrownBy(() -> tools.formatJson("{\n  \"a\": 1,\n  \"b\": ?\n}", 2))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("invalid JSON: unexpected character '?' at line 3, column 8");
        }
    }

    @Nested
    class QueryJson {

        private static final String DOCUMENT = """
                {
                  "items": [
                    {"name": "first", "price": 1.5},
                    {"name": "second", "tags": ["a", "b"]}
                  ],
                  "a/b": "slash",
                  "m~n": "tilde",
                  "~1": "literal tilde-one",
                  "": "empty key",
                  " ": "space key",
                  "nothing": null,
                  "count": 2
                }""";

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            /items/0/name       | "first"
            /items/0/price      | 1.5
            /items/1/tags/1     | "b"
            /a~1b               | "slash"
            /m~0n               | "tilde"
            /~01                | "literal tilde-one"
            /                   | "empty key"
            '/ '                | "space key"
            /nothing            | null
            /count              | 2
            """)
        void resolvesRfc6901Pointers(String pointer, String expected) {
            assertThat(tools.queryJson(DOCUMENT, pointer)).isEqualTo(expected);
        }

        @Test
        void returnsContainersIndentedByTwoSpaces() {
            assertThat(tools.queryJson(DOCUMENT, "/items/1")).isEqualTo("""
                    {
                      "name": "second",
                      "tags": [
                        "a",
                        "b"
                      ]
                    }""");
        }

        @Test
        void emptyPointerReturnsTheWholeDocument() {
            assertThat(tools.queryJson("[1,{\"a\":[]}]", "")).isEqualTo("[\n  1,\n  {\n    \"a\": []\n  }\n]");
        }

        @Test
        void rfc6901ExampleDocumentResolvesEveryExamplePointer() {
            String json = """
                    {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\\\j": 5,
                     "k\\"l": 6, " ": 7, "m~n": 8}""";

            assertThat(tools.queryJson(json, "/foo")).isEqualTo("[\n  \"bar\",\n  \"baz\"\n]");
            assertThat(tools.queryJson(json, "/foo/0")).isEqualTo("\"bar\"");
            assertThat(tools.queryJson(json, "/")).isEqualTo("0");
            assertThat(tools.queryJson(json, "/a~1b")).isEqualTo("1");
            assertThat(tools.queryJson(json, "/c%d")).isEqualTo("2");
            assertThat(tools.queryJson(json, "/e^f")).isEqualTo("3");
            assertThat(tools.queryJson(json, "/g|h")).isEqualTo("4");
            assertThat(tools.queryJson(json, "/i\\j")).isEqualTo("5");
            assertThat(tools.queryJson(json, "/k\"l")).isEqualTo("6");
            assertThat(tools.queryJson(json, "/ ")).isEqualTo("7");
            assertThat(tools.queryJson(json, "/m~0n")).isEqualTo("8");
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            /items/2            | index 2 is outside the array of 2 items
            /items/-1           | '-1' is not an array index
            /items/first        | 'first' is not an array index
            /items/-            | '-' is not an array index
            /items/             | '' is not an array index
            /items/99999999999  | '99999999999' is not an array index
            /missing            | no member 'missing' at /missing
            /items/0/Name       | no member 'Name' at /items/0/Name
            /a/b                | no member 'a' at /a/b
            /items/0/name/x     | cannot descend into a string at 'x'
            /count/0            | cannot descend into a value at '0'
            /nothing/0          | cannot descend into a value at '0'
            items               | a JSON Pointer starts with '/', such as /items/0
            #/items             | a JSON Pointer starts with '/', such as /items/0
            """)
        void reportsPointersThatDoNotResolve(String pointer, String message) {
            assertThatThrownBy(() -> tools.queryJson(DOCUMENT, pointer))
                    .isInstanceOf(ToolException.class)
                    .hasMessage(message);
        }

        @Test
        void rejectsInvalidJsonBeforeLookingAtThePointer() {
            assertThatThrownBy(() -> tools.queryJson("{\"a\":", "/a"))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("invalid JSON: unexpected end of input at line 1, column 6");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"/items/01", "/items/+1", "/items/00"})
        void rejectsArrayIndexesThatAreNotCanonicalDecimal(String pointer) {
            assertThatThrownBy(() -> tools.queryJson(DOCUMENT, pointer))
                    .isInstanceOf(ToolException.class)
                    .hasMessageEndingWith("is not an array index");
        }
    }
}
