package dev.plugboard.host.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.tool.SampleFeatures;
import dev.plugboard.host.tool.SampleTools;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Params of the wrong shape are answered with -32602 in plain words naming the JSON field, in both
 * revisions, and never with the names of Java classes or of the JSON library.
 */
class BadInputTest {

    private static final Pattern INTERNAL = Pattern.compile(
            "dev\\.plugboard|com\\.fasterxml|java\\.|jakarta\\.|Exception|\\$[A-Z]|StreamReadConstraints|JsonToken");
    private static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(10));
    private final McpEngine engine = fixture.engine;
    private final ObjectMapper mapper = fixture.codec.mapper();
    private int ids;

    BadInputTest() {
        fixture.register(1, new SampleFeatures());
        fixture.register(2, new SampleTools());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private JsonRpcRequest request(String method, String params) throws Exception {
        return new JsonRpcRequest(IntNode.valueOf(++ids), method, mapper.readTree(params));
    }

    private JsonRpcError.Detail stateless(String method, String params, String clientInfo) throws Exception {
        String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}" + (clientInfo == null ? ""
                : ",\"" + CLIENT_INFO + "\":" + clientInfo) + "}";
        String body = params.equals("{}") ? "{" + meta + "}" : params.substring(0, params.length() - 1) + "," + meta + "}";
        JsonRpcResponse r = engine.stateless(request(method, body), MessageSink.NONE, null).response()
                .get(10, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(JsonRpcError.class);
        return plain(((JsonRpcError) r).error());
    }

    private Session open() throws Exception {
        return engine.initialize(request("initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}")).session();
    }

    private JsonRpcError.Detail error(Session s, String method, String params) throws Exception {
        JsonRpcResponse r = engine.request(s, request(method, params), MessageSink.NONE).get(10, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(JsonRpcError.class);
        return plain(((JsonRpcError) r).error());
    }

    private static JsonRpcError.Detail plain(JsonRpcError.Detail error) {
        assertThat(error.message()).doesNotContainPattern(INTERNAL);
        return error;
    }

    @Test
    void aClientInfoWithoutStringFieldsIsInvalidParamsNamingTheField() throws Exception {
        for (String info : new String[] {"{\"name\":{},\"version\":\"1\"}", "{\"name\":\"c\",\"title\":[1],\"version\":\"1\"}",
            "{\"name\":\"c\",\"version\":{\"major\":1}}", "{\"name\":5,\"version\":\"1\"}", "\"just text\"", "[]"}) {
            JsonRpcError.Detail e = stateless("tools/list", "{}", info);
            assertThat(e.code()).as(info).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.message()).as(info).startsWith("Invalid params: params._meta[\"" + CLIENT_INFO + "\"]");
        }
        assertThat(stateless("tools/list", "{}", "{\"name\":{},\"version\":\"1\"}").message())
                .isEqualTo("Invalid params: params._meta[\"" + CLIENT_INFO + "\"].name: expected a string");
    }

    @Test
    void initializeWithAClientInfoOfTheWrongShapeIsInvalidParams() throws Exception {
        McpEngine.Initialized init = engine.initialize(request("initialize", "{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":[\"x\"],\"version\":\"1\"}}"));
        assertThat(init.session()).isNull();
        JsonRpcError.Detail e = plain(((JsonRpcError) init.response()).error());
        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(e.message()).isEqualTo("Invalid params: params.clientInfo.name: expected a string");
        init = engine.initialize(request("initialize", "{\"protocolVersion\":20251125,\"capabilities\":{}}"));
        assertThat(plain(((JsonRpcError) init.response()).error()).message())
                .isEqualTo("Invalid params: params.protocolVersion: expected a string");
    }

    @Test
    void paramsOfTheWrongShapeNameTheFieldInBothRevisions() throws Exception {
        Session s = open();
        assertThat(error(s, "completion/complete", "{\"ref\":[],\"argument\":{\"name\":\"a\"}}").message())
                .isEqualTo("Invalid params: params.ref: expected an object");
        assertThat(error(s, "completion/complete", "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"p\"},"
                + "\"argument\":{\"name\":\"a\"},\"context\":{\"arguments\":{\"x\":[1]}}}").message())
                .isEqualTo("Invalid params: params.context.arguments.x: expected a string");
        assertThat(error(s, "logging/setLevel", "{\"level\":{}}").message())
                .isEqualTo("Invalid params: params.level: expected a string");
        assertThat(stateless("completion/complete", "{\"ref\":\"x\",\"argument\":{\"name\":\"a\"}}", null).message())
                .isEqualTo("Invalid params: params.ref: expected an object");
    }

    @Test
    void hugeNumbersForIntegerArgumentsAreInvalidParamsNamingTheArgument() throws Exception {
        Session s = open();
        for (String n : new String[] {"1e999", "-1e999", "1e2147483647", "-1e2147483647"}) {
            JsonRpcError.Detail e = error(s, "tools/call", "{\"name\":\"greet_person\",\"arguments\":{\"name\":\"x\","
                    + "\"times\":" + n + "}}");
            assertThat(e.code()).as(n).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.message()).as(n).contains("'times' must be an integer within range");
        }
        JsonRpcError.Detail e = error(s, "tools/call", "{\"name\":\"greet_person\",\"arguments\":{\"name\":\"x\","
                + "\"times\":1e300}}");
        assertThat(e.message()).contains("'times' must be an integer within range");
        assertThat(stateless("tools/call", "{\"name\":\"greet_person\",\"arguments\":{\"name\":\"x\",\"times\":1e999}}", null)
                .code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
    }

    @Test
    void malformedPercentEncodingInATemplateUriIsResourceNotFound() throws Exception {
        Session s = open();
        String template = fixture.catalog.templates().all().getFirst().template().toString();
        for (String bad : new String[] {"%zz", "%", "%4"}) {
            String uri = template.replaceFirst("\\{\\+?[A-Za-z0-9_.]+}", bad);
            assertThat(error(s, "resources/read", "{\"uri\":\"" + uri + "\"}").code()).as(uri)
                    .isEqualTo(ErrorCodes.RESOURCE_NOT_FOUND);
            assertThat(stateless("resources/read", "{\"uri\":\"" + uri + "\"}", null).code()).as(uri)
                    .isEqualTo(ErrorCodes.INVALID_PARAMS);
        }
    }
}
