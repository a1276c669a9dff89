package dev.plugboard.host.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final SchemaValidator validator = new SchemaValidator();

    private List<SchemaValidator.Violation> check(String schema, String value) throws Exception {
        return validator.validate(mapper.readTree(schema), mapper.readTree(value));
    }

    private static final String TOOL = """
            {"type":"object","properties":{
              "name":{"type":"string","minLength":2,"maxLength":5},
              "count":{"type":"integer","minimum":1,"maximum":10},
              "unit":{"type":"string","enum":["C","F"]},
              "tags":{"type":"array","items":{"type":"string"},"maxItems":2,"uniqueItems":true},
              "address":{"type":"object","properties":{"zip":{"type":"string","pattern":"^[0-9]{5}$"}},
                         "required":["zip"],"additionalProperties":false}},
             "required":["name"],"additionalProperties":false}
            """;

    @Test
    void validArgumentsPass() throws Exception {
        assertThat(check(TOOL, "{\"name\":\"ab\",\"count\":3,\"unit\":\"C\",\"tags\":[\"x\"],\"address\":{\"zip\":\"12345\"}}"))
                .isEmpty();
    }

    @Test
    void numbersBeyondTheRangeOfADoubleAreViolationsNotFailures() throws Exception {
        for (String n : new String[] {"1e999", "-1e999", "1e2147483647"}) {
            assertThat(check(TOOL, "{\"name\":\"ab\",\"count\":" + n + "}")).as(n).extracting(Object::toString)
                    .containsExactly("'count' must be an integer within range");
            assertThat(check("{\"type\":\"number\",\"multipleOf\":0.5}", n)).as(n).extracting(Object::toString)
                    .containsExactly("must be a number within range");
            assertThat(check("{\"type\":\"array\",\"items\":{\"const\":1}}", "[" + n + "]")).extracting(Object::toString)
                    .containsExactly("'[0]' must be a number within range");
        }
    }

    @Test
    void integralNumbersWrittenWithAFractionAreIntegers() throws Exception {
        assertThat(check(TOOL, "{\"name\":\"ab\",\"count\":3.0}")).isEmpty();
        assertThat(check(TOOL, "{\"name\":\"ab\",\"count\":3.5}")).extracting(Object::toString)
                .containsExactly("'count' must be an integer, not a number");
    }

    @Test
    void missingRequiredArgumentIsNamed() throws Exception {
        assertThat(check(TOOL, "{}")).extracting(Object::toString).containsExactly("'name' is required");
    }

    @Test
    void unknownArgumentIsNamedWithTheKnownOnes() throws Exception {
        var v = check(TOOL, "{\"name\":\"ab\",\"colour\":1}");
        assertThat(v).hasSize(1);
        assertThat(v.get(0).path()).isEqualTo("colour");
        assertThat(v.get(0).message()).contains("not a known argument").contains("name", "count");
    }

    @Test
    void wrongTypesBoundsAndEnumsAreReportedWithTheirPath() throws Exception {
        var v = check(TOOL, "{\"name\":7,\"count\":11,\"unit\":\"K\",\"tags\":[\"a\",\"a\",\"b\"],\"address\":{\"zip\":\"1\"}}");
        assertThat(v).extracting(Object::toString).containsExactlyInAnyOrder(
                "'name' must be a string, not an integer",
                "'count' must be at most 10",
                "'unit' must be one of [\"C\",\"F\"], not \"K\"",
                "'tags' must have at most 2 items",
                "'tags' must not repeat \"a\"",
                "'address.zip' must match the pattern ^[0-9]{5}$");
    }

    @Test
    void stringLengthCountsCodePoints() throws Exception {
        assertThat(check(TOOL, "{\"name\":\"😀😀\"}")).isEmpty();
        assertThat(check(TOOL, "{\"name\":\"😀\"}")).extracting(Object::toString)
                .containsExactly("'name' must be at least 2 characters long");
    }

    @Test
    void nestedArrayItemsAreIndexedInThePath() throws Exception {
        String schema = "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}";
        assertThat(check(schema, "[{\"n\":1},{\"n\":\"x\"}]")).extracting(SchemaValidator.Violation::path)
                .containsExactly("[1].n");
    }

    @Test
    void combinatorsAreApplied() throws Exception {
        String anyOf = "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}";
        assertThat(check(anyOf, "\"x\"")).isEmpty();
        assertThat(check(anyOf, "true")).isNotEmpty();
        String oneOf = "{\"oneOf\":[{\"type\":\"number\"},{\"type\":\"integer\"}]}";
        assertThat(check(oneOf, "1.5")).isEmpty();
        assertThat(check(oneOf, "1")).isNotEmpty();
        assertThat(check("{\"not\":{\"type\":\"null\"}}", "null")).isNotEmpty();
        assertThat(check("{\"allOf\":[{\"minimum\":1},{\"maximum\":3}]}", "4")).hasSize(1);
    }

    @Test
    void falseSchemaRejectsEverything() throws Exception {
        assertThat(check("{\"type\":\"object\",\"properties\":{\"x\":false}}", "{\"x\":1}"))
                .extracting(Object::toString).containsExactly("'x' is not allowed");
    }

    @Test
    void unknownKeywordsAndFormatsAreIgnored() throws Exception {
        JsonNode schema = mapper.readTree("{\"type\":\"string\",\"format\":\"date-time\",\"x-custom\":1}");
        assertThat(validator.validate(schema, mapper.readTree("\"not a date\""))).isEmpty();
    }

    @Test
    void violationsAreCapped() throws Exception {
        StringBuilder value = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            value.append(i == 0 ? "" : ",").append("\"x\"");
        }
        value.append(']');
        assertThat(check("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}", value.toString())).hasSizeLessThanOrEqualTo(20);
    }
}
