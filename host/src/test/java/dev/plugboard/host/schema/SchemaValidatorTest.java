package dev.plugboard.host.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaValidatorTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final SchemaValidator validator = new SchemaValidator();

    private List<SchemaValidator.Violation> check(String schema, String value) throws Exception {
        List<SchemaValidator.Violation> violations = validator.validate(mapper.readTree(schema), mapper.readTree(value));
        for (SchemaValidator.Violation v : violations) {
            // Plain words only: no library, Java or Jackson names reach a client.
            assertThat(v.message()).doesNotContainPattern("(?i)networknt|jackson|exception|\\$\\.|[a-z]+\\.[a-z]+\\.[A-Z]");
        }
        return violations;
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

    /** An upstream-style tool schema: $defs and $ref, oneOf, nested arrays of objects, enum, const, formats. */
    private static final String UPSTREAM = """
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
             "$defs":{
               "label":{"type":"object","properties":{"name":{"type":"string","minLength":1},
                        "color":{"type":"string","pattern":"^#[0-9a-f]{6}$"}},"required":["name"],"additionalProperties":false},
               "assignee":{"oneOf":[{"type":"string","format":"email"},
                        {"type":"object","properties":{"id":{"type":"integer"}},"required":["id"]}]}},
             "properties":{
               "title":{"type":"string"},
               "labels":{"type":"array","items":{"$ref":"#/$defs/label"}},
               "assignee":{"$ref":"#/$defs/assignee"},
               "state":{"enum":["open","closed"]},
               "kind":{"const":"issue"},
               "due":{"type":"string","format":"date"},
               "matrix":{"type":"array","items":{"type":"array","items":{"type":"object",
                         "properties":{"v":{"type":"number","exclusiveMinimum":0}}}}}},
             "required":["title","kind"],"unevaluatedProperties":false}
            """;

    @Test
    void upstreamSchemaWithReferencesAcceptsAValidCall() throws Exception {
        assertThat(check(UPSTREAM, """
                {"title":"t","kind":"issue","labels":[{"name":"bug","color":"#ff0000"},{"name":"ui"}],
                 "assignee":{"id":7},"state":"open","due":"2026-12-06","matrix":[[{"v":1}],[]]}
                """)).isEmpty();
        assertThat(check(UPSTREAM, "{\"title\":\"t\",\"kind\":\"issue\",\"assignee\":\"a@example.com\"}")).isEmpty();
    }

    @Test
    void upstreamSchemaReportsEachViolationAtItsPath() throws Exception {
        var v = check(UPSTREAM, """
                {"kind":"task","labels":[{"color":"red"},{"name":"ok","size":3}],
                 "assignee":{"name":"x"},"state":"done","matrix":[[{"v":1}],[{"v":0}]],"extra":true}
                """);
        assertThat(v).extracting(Object::toString).containsExactlyInAnyOrder(
                "'title' is required",
                "'kind' must be \"issue\"",
                "'labels[0].name' is required",
                "'labels[0].color' must match the pattern ^#[0-9a-f]{6}$",
                "'labels[1].size' is not a known property; expected one of name, color",
                "'assignee' must match exactly one of the allowed schemas, matches 0",
                "'state' must be one of [\"open\",\"closed\"], not \"done\"",
                "'matrix[1][0].v' must be greater than 0",
                "'extra' is not a known argument; expected one of title, labels, assignee, state, kind, due, matrix");
    }

    @Test
    void formatsAreAnnotationsInEveryDraft() throws Exception {
        assertThat(check(UPSTREAM, "{\"title\":\"t\",\"kind\":\"issue\",\"due\":\"someday\"}")).isEmpty();
        String draft7 = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"string\",\"format\":\"email\"}";
        assertThat(check(draft7, "\"not an address\"")).isEmpty();
    }

    @Test
    void conditionalsAndPatternPropertiesApply() throws Exception {
        String schema = """
                {"type":"object","properties":{"mode":{"enum":["file","url"]}},
                 "if":{"properties":{"mode":{"const":"url"}}},
                 "then":{"required":["url"]},"else":{"required":["path"]},
                 "patternProperties":{"^x-":{"type":"integer"}},
                 "additionalProperties":{"type":"string"}}
                """;
        assertThat(check(schema, "{\"mode\":\"url\",\"url\":\"u\",\"x-n\":1}")).isEmpty();
        assertThat(check(schema, "{\"mode\":\"url\",\"x-n\":\"1\",\"other\":2}")).extracting(Object::toString)
                .containsExactlyInAnyOrder("'url' is required", "'x-n' must be an integer, not a string",
                        "'other' must be a string, not an integer");
        assertThat(check(schema, "{\"mode\":\"file\"}")).extracting(Object::toString).containsExactly("'path' is required");
    }

    @Test
    void anyOfFailureIsOneViolationWhereTheBranchesDisagree() throws Exception {
        String schema = """
                {"type":"object","properties":{"target":{"anyOf":[
                  {"type":"object","properties":{"id":{"type":"integer"}},"required":["id"]},
                  {"type":"string","minLength":3}]}}}
                """;
        assertThat(check(schema, "{\"target\":\"abc\"}")).isEmpty();
        assertThat(check(schema, "{\"target\":{\"id\":\"x\"}}")).extracting(Object::toString)
                .containsExactly("'target' must match at least one of the allowed schemas");
    }

    @Test
    void theDraftNamedIn$schemaIsHonoured() throws Exception {
        String tuple = """
                {"$schema":"http://json-schema.org/draft-07/schema#","type":"array",
                 "items":[{"type":"string"},{"type":"integer"}],"additionalItems":false,
                 "definitions":{"n":{"type":"integer"}}}
                """;
        assertThat(check(tuple, "[\"a\",1]")).isEmpty();
        assertThat(check(tuple, "[\"a\",\"b\"]")).extracting(Object::toString)
                .containsExactly("'[1]' must be an integer, not a string");
        assertThat(check(tuple, "[\"a\",1,2]")).extracting(Object::toString).containsExactly("'[2]' is not allowed");
        String draft4 = "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"integer\",\"maximum\":5}";
        assertThat(check(draft4, "6")).extracting(Object::toString).containsExactly("must be at most 5");
    }

    @Test
    void anUnknownDialectIsCheckedAs2020_12() throws Exception {
        String schema = "{\"$schema\":\"https://example.invalid/my-dialect\",\"type\":\"string\"}";
        assertThat(check(schema, "1")).extracting(Object::toString).containsExactly("must be a string, not an integer");
    }

    @Test
    void referencesOutsideTheSchemaAreNeverFetched(@TempDir Path dir) throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"type\":\"string\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Path file = Files.writeString(dir.resolve("s.json"), "{\"type\":\"string\"}");
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/s.json";
            // Both would refuse the integer if they were loaded; unresolvable, the schemas are not used.
            assertThat(check("{\"$ref\":\"" + url + "\"}", "1")).isEmpty();
            assertThat(check("{\"properties\":{\"a\":{\"$ref\":\"" + file.toUri() + "\"}}}", "{\"a\":1}")).isEmpty();
            assertThat(check("{\"$ref\":\"classpath:/META-INF/MANIFEST.MF\"}", "1")).isEmpty();
            assertThat(requests).hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void embeddedResourcesWithTheirOwnIdResolveWithinTheSchema() throws Exception {
        String schema = """
                {"$id":"https://example.invalid/root","type":"array","items":{"$ref":"item"},
                 "$defs":{"item":{"$id":"https://example.invalid/item","type":"integer"}}}
                """;
        assertThat(check(schema, "[1,2]")).isEmpty();
        assertThat(check(schema, "[1,\"x\"]")).extracting(Object::toString)
                .containsExactly("'[1]' must be an integer, not a string");
    }

    @Test
    void catastrophicPatternsStopWithAViolation() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"^(a+)+\\\\1b$\"}}}";
        assertThat(check(schema, "{\"s\":\"aaaab\"}")).isEmpty();
        assertThat(check(schema, "{\"s\":\"" + "a".repeat(30) + "\"}")).extracting(Object::toString)
                .containsExactly("are too costly to check against the tool's input schema");
    }

    @Test
    void patternsTooLongOrBrokenAreNotChecked() throws Exception {
        String longPattern = "^(" + "a|".repeat(2_000) + "b)$";
        assertThat(check("{\"type\":\"string\",\"pattern\":\"" + longPattern + "\"}", "\"c\"")).isEmpty();
        assertThat(check("{\"type\":\"string\",\"pattern\":\"([\"}", "\"c\"")).isEmpty();
    }

    @Test
    void selfReferencesAndDeepValuesAreBounded() throws Exception {
        assertThat(check("{\"$ref\":\"#\"}", "1")).extracting(Object::toString)
                .containsExactly("are too costly to check against the tool's input schema");
        String nested = "{\"$defs\":{\"n\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/n\"}}},\"$ref\":\"#/$defs/n\"}";
        assertThat(check(nested, "[[[[]]]]")).isEmpty();
        String deep = "[".repeat(400) + "]".repeat(400);
        assertThat(check(nested, deep)).extracting(Object::toString)
                .containsExactly("are too costly to check against the tool's input schema");
    }

    @Test
    void manyViolationsInALargeValueAreCappedAndBounded() throws Exception {
        StringBuilder value = new StringBuilder("[");
        for (int i = 0; i < 50_000; i++) {
            value.append(i == 0 ? "" : ",").append("{\"n\":\"x\"}");
        }
        value.append(']');
        String schema = "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}";
        assertThat(check(schema, value.toString())).hasSizeLessThanOrEqualTo(20).isNotEmpty();
    }

    @Test
    void aSchemaIsCompiledOnceForTheSameNodeOrTheSameContent() throws Exception {
        CompiledSchemas schemas = new CompiledSchemas();
        JsonNode schema = mapper.readTree(TOOL);
        CompiledSchemas.Compiled first = schemas.get(schema);
        assertThat(first.full().schema()).isNotNull();
        assertThat(first.full()).isSameAs(first.full());
        assertThat(schemas.get(schema)).isSameAs(first);
        assertThat(schemas.get(mapper.readTree(TOOL))).isSameAs(first);
        assertThat(schemas.get(mapper.readTree("{\"type\":\"string\"}"))).isNotSameAs(first);
    }

    @Test
    void nonFiniteNumbersInsideUpstreamSchemasAreViolations() throws Exception {
        assertThat(check(UPSTREAM, "{\"title\":\"t\",\"kind\":\"issue\",\"assignee\":{\"id\":1e999}}"))
                .extracting(Object::toString).contains("'assignee' must match exactly one of the allowed schemas, matches 0");
        assertThat(check(UPSTREAM, "{\"title\":\"t\",\"kind\":\"issue\",\"matrix\":[[{\"v\":-1e999}]]}"))
                .extracting(Object::toString).containsExactly("'matrix[0][0].v' must be a number within range");
    }

    @Test
    void theQuickAcceptanceNeverAcceptsWhatTheFullCheckRefuses() throws Exception {
        List<String> schemas = List.of(TOOL,
                "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}",
                "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"minimum\":-1.5,\"maximum\":2},"
                        + "\"i\":{\"type\":\"integer\"},\"b\":{\"type\":\"boolean\"},\"e\":{\"enum\":[\"a\",null,true]},"
                        + "\"l\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":1},\"minItems\":1,\"maxItems\":2},"
                        + "\"m\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}},"
                        + "\"additionalProperties\":false}");
        List<String> values = List.of("{}", "{\"text\":\"x\"}", "{\"text\":1}", "{\"name\":\"ab\"}", "{\"name\":\"abcdef\"}",
                "{\"name\":\"ab\",\"count\":3.0}", "{\"name\":\"ab\",\"count\":1e999}", "{\"n\":2}", "{\"n\":2.0001}",
                "{\"n\":-1.5}", "{\"n\":-2}", "{\"i\":1.5}", "{\"i\":7}", "{\"b\":null}", "{\"e\":\"a\"}", "{\"e\":false}",
                "{\"l\":[]}", "{\"l\":[\"a\"]}", "{\"l\":[\"ab\"]}", "{\"l\":[\"a\",\"b\",\"c\"]}", "{\"m\":{\"x\":1}}",
                "{\"m\":{\"x\":\"1\"}}", "{\"m\":{\"x\":-1e999}}", "{\"other\":1}", "{\"text\":\"😀\",\"extra\":[1e999]}");
        CompiledSchemas schemas2 = new CompiledSchemas();
        int quick = 0;
        for (String schema : schemas) {
            CompiledSchemas.Compiled compiled = schemas2.get(mapper.readTree(schema));
            assertThat(compiled.quick()).as(schema).isNotNull();
            for (String value : values) {
                JsonNode v = mapper.readTree(value);
                if (compiled.quick().accepts(v)) {
                    quick++;
                    assertThat(validator.validate(mapper.readTree(schema), v)).as(schema + " " + value).isEmpty();
                    JsonTrees.Copy copy = JsonTrees.copy(v);
                    assertThat(copy.nonFinite()).as(value).isEmpty();
                    assertThat(compiled.full().schema().validate(copy.value())).as(schema + " " + value).isEmpty();
                }
            }
        }
        assertThat(quick).isGreaterThan(5);
        assertThat(QuickAccept.of(mapper.readTree(UPSTREAM))).isNull();
    }
}
