package dev.plugboard.host.protocol.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ParamHeadersTest {

    private final ObjectMapper mapper = JsonRpcCodec.newMapper();

    private ObjectNode schema(String json) throws Exception {
        return (ObjectNode) mapper.readTree(json.replace('\'', '"'));
    }

    private JsonNode json(String json) throws Exception {
        return mapper.readTree(json.replace('\'', '"'));
    }

    private ParamHeaders routed() throws Exception {
        return ParamHeaders.of(schema("""
                {'type':'object','properties':{
                  'region':{'type':'string','x-mcp-header':'Region'},
                  'priority':{'type':'integer','x-mcp-header':'Priority'},
                  'dry':{'type':'boolean','x-mcp-header':'Dry-Run'},
                  'target':{'type':'object','properties':{'zone':{'type':'string','x-mcp-header':'Zone'}}},
                  'query':{'type':'string'}}}"""));
    }

    private static void rejected(ThrowingCallable call, String... fragments) {
        assertThatThrownBy(call).isInstanceOfSatisfying(McpException.class, e -> {
            assertThat(e.code()).isEqualTo(-32020);
            assertThat(e.getMessage()).contains(fragments);
        });
    }

    @Test
    void aSchemaWithoutAnnotationsMirrorsNothing() throws Exception {
        ParamHeaders none = ParamHeaders.of(schema("{'type':'object','properties':{'q':{'type':'string'}}}"));
        assertThat(none.isEmpty()).isTrue();
        assertThatCode(() -> none.check(json("{'q':'x'}"), Map.of())).doesNotThrowAnyException();
    }

    @Test
    void matchingHeadersPassWhateverTheirEncoding() throws Exception {
        ParamHeaders headers = routed();
        JsonNode arguments = json("{'region':'Hello, 世界','priority':42,'dry':false,'target':{'zone':'b'},'query':'q'}");
        assertThatCode(() -> headers.check(arguments, Map.of("region", "=?base64?SGVsbG8sIOS4lueVjA==?=",
                "priority", " 42.0 ", "dry-run", "false", "zone", "b"))).doesNotThrowAnyException();
        assertThatCode(() -> headers.check(json("{'region':'=?base64?SGVsbG8'}"),
                Map.of("region", "=?base64?SGVsbG8"))).as("no suffix: a literal").doesNotThrowAnyException();
        assertThatCode(() -> headers.check(json("{'query':'only this','dry':null}"), Map.of()))
                .as("absent and null arguments need no header").doesNotThrowAnyException();
    }

    @Test
    void aMissingOrDifferentHeaderIsAMismatch() throws Exception {
        ParamHeaders headers = routed();
        rejected(() -> headers.check(json("{'region':'eu'}"), Map.of()), "Missing Mcp-Param-Region", "'region'");
        rejected(() -> headers.check(json("{'region':'eu'}"), Map.of("region", "us")), "Mcp-Param-Region", "'us'", "'eu'");
        rejected(() -> headers.check(json("{'region':'eu'}"), Map.of("region", "EU")), "does not match");
        rejected(() -> headers.check(json("{'priority':42}"), Map.of("priority", "41")), "Mcp-Param-Priority");
        rejected(() -> headers.check(json("{'priority':42}"), Map.of("priority", "forty-two")), "Mcp-Param-Priority");
        rejected(() -> headers.check(json("{'dry':true}"), Map.of("dry-run", "TRUE")), "Mcp-Param-Dry-Run");
        rejected(() -> headers.check(json("{'target':{'zone':'a'}}"), Map.of("zone", "b")), "'target.zone'");
        rejected(() -> headers.check(json("{'query':'q'}"), Map.of("region", "eu")), "has no value");
        rejected(() -> headers.check(json("{'region':['eu']}"), Map.of("region", "eu")), "does not match");
    }

    @Test
    void malformedValuesAreRejected() throws Exception {
        ParamHeaders headers = routed();
        JsonNode hello = json("{'region':'Hello'}");
        rejected(() -> headers.check(hello, Map.of("region", "=?base64?SGVsbG8?=")), "Base64");
        rejected(() -> headers.check(hello, Map.of("region", "=?base64?SGVs!!!bG8=?=")), "Base64");
        rejected(() -> headers.check(hello, Map.of("region", "=?base64?/w==?=")), "UTF-8");
        rejected(() -> headers.check(hello, Map.of("region", "Hel\u0001lo")), "visible ASCII");
        rejected(() -> headers.check(hello, Map.of("region", "Héllo")), "visible ASCII");
        assertThatCode(() -> headers.check(hello, Map.of("region", "=?base64?SGVsbG8=?="))).doesNotThrowAnyException();
    }

    @Test
    void annotationsThatBreakTheRulesMakeTheToolInvalid() {
        assertThatThrownBy(() -> ParamHeaders.of(schema(
                "{'type':'object','properties':{'a':{'type':'string','x-mcp-header':'Zone'},"
                        + "'b':{'type':'string','x-mcp-header':'zone'}}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ignoring case").hasMessageContaining("'a'");
        assertThatThrownBy(() -> ParamHeaders.of(schema(
                "{'type':'object','properties':{'a':{'type':'number','x-mcp-header':'A'}}}")))
                .hasMessageContaining("string, integer or boolean").hasMessageContaining("number");
        for (String name : new String[] {"''", "'Two Words'", "'Colon:'", "'Ünï'", "7"}) {
            assertThatThrownBy(() -> ParamHeaders.of(schema(
                    "{'type':'object','properties':{'a':{'type':'string','x-mcp-header':" + name + "}}}")))
                    .as(name).hasMessageContaining("HTTP token");
        }
        assertThatThrownBy(() -> ParamHeaders.of(schema(
                "{'type':'object','properties':{'list':{'type':'array','items':{'type':'object',"
                        + "'properties':{'a':{'type':'string','x-mcp-header':'A'}}}}}}")))
                .hasMessageContaining("'list.a'").hasMessageContaining("not allowed");
        assertThatThrownBy(() -> ParamHeaders.of(schema(
                "{'type':'object','properties':{'a':{'anyOf':[{'type':'string','x-mcp-header':'A'}]}}}")))
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> ParamHeaders.of(schema("{'type':'object','x-mcp-header':'Root'}")))
                .hasMessageContaining("the input schema itself");
        assertThatCode(() -> ParamHeaders.of(schema(
                "{'type':'object','properties':{'a':{'type':'string','default':{'x-mcp-header':'data, not schema'}}}}")))
                .doesNotThrowAnyException();
    }
}
