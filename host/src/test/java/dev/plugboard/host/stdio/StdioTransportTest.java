package dev.plugboard.host.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.engine.EngineFixture;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.tool.SampleTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StdioTransportTest {

    private final EngineFixture fixture = new EngineFixture(100, Duration.ofSeconds(10));
    private final JsonRpcCodec codec = fixture.codec;
    private final McpEngine engine = fixture.engine;
    private final OutputStream toServer;
    private final BufferedReader replies;
    private final Thread server;

    StdioTransportTest() throws IOException {
        fixture.register(1, new SampleTools());
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        toServer = Channels.newOutputStream(in.sink());
        InputStream serverIn = Channels.newInputStream(in.source());
        OutputStream serverOut = Channels.newOutputStream(out.sink());
        replies = new BufferedReader(new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8));
        StdioTransport transport = new StdioTransport(engine, codec, serverIn, serverOut, 4096);
        server = Thread.ofVirtual().start(() -> {
            try {
                transport.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        toServer.close();
        server.join(10_000);
        fixture.close();
    }

    private void send(String line) throws IOException {
        toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    private JsonNode reply() throws IOException {
        String line = replies.readLine();
        assertThat(line).as("a reply line").isNotNull();
        return codec.mapper().readTree(line);
    }

    private void initialize() throws IOException {
        send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"pipe\",\"version\":\"1\"}}}");
        assertThat(reply().at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        // Lines are read in order, and the session's stream is attached just after the initialize answer is
        // written: once a later line is answered, the stream is attached and unprompted messages reach it.
        send("{\"jsonrpc\":\"2.0\",\"id\":\"attached\",\"method\":\"ping\"}");
        assertThat(reply().get("id").asText()).isEqualTo("attached");
    }

    @Test
    void listsAndCallsToolsOverLines() throws IOException {
        initialize();
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        assertThat(reply().at("/result/tools").size()).isEqualTo(fixture.catalog.tools().all().size());
        send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"greet_person\",\"arguments\":{\"name\":\"Bo\"}}}");
        assertThat(reply().at("/result/content/0/text").asText()).isEqualTo("Hello, Bo!");
    }

    @Test
    void notificationsOfACallPrecedeItsResponse() throws IOException {
        initialize();
        send("{\"jsonrpc\":\"2.0\",\"id\":\"w\",\"method\":\"tools/call\",\"params\":{\"name\":\"work\","
                + "\"arguments\":{\"steps\":2},\"_meta\":{\"progressToken\":\"p\"}}}");
        JsonNode first = reply();
        assertThat(first.get("method").asText()).isEqualTo("notifications/progress");
        assertThat(first.at("/params/progressToken").asText()).isEqualTo("p");
        JsonNode last;
        do {
            last = reply();
        } while (last.has("method"));
        assertThat(last.get("id").asText()).isEqualTo("w");
    }

    @Test
    void badLinesGetErrorsAndTheSessionCarriesOn() throws IOException {
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        assertThat(reply().at("/error/message").asText()).contains("initialize");
        initialize();
        send("{not json");
        assertThat(reply().at("/error/code").asInt()).isEqualTo(-32700);
        send("[]");
        assertThat(reply().at("/error/code").asInt()).isEqualTo(-32600);
        send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"x\",\"params\":{\"pad\":\"" + "y".repeat(5000) + "\"}}");
        assertThat(reply().at("/error/message").asText()).contains("exceeds the limit");
        send("");
        send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}");
        JsonNode pong = reply();
        assertThat(pong.get("id").asInt()).isEqualTo(4);
        assertThat(pong.get("result").isEmpty()).isTrue();
    }

    @Test
    void aClientInfoOfTheWrongShapeIsAnsweredAndTheNextLineIsRead() throws IOException {
        for (String field : new String[] {"name", "title", "version"}) {
            send("{\"jsonrpc\":\"2.0\",\"id\":\"" + field + "\",\"method\":\"tools/list\",\"params\":{\"_meta\":{"
                    + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                    + "\"io.modelcontextprotocol/clientCapabilities\":{},\"io.modelcontextprotocol/clientInfo\":"
                    + "{" + (field.equals("name") ? "" : "\"name\":\"n\",") + (field.equals("version") ? ""
                    : "\"version\":\"1\",") + "\"" + field + "\":{\"x\":[1]}}}}}");
            JsonNode error = reply();
            assertThat(error.get("id").asText()).isEqualTo(field);
            assertThat(error.at("/error/code").asInt()).isEqualTo(-32602);
            assertThat(error.at("/error/message").asText())
                    .endsWith("clientInfo\"]." + field + ": expected a string");
        }
        send("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}");
        assertThat(reply().get("id").asInt()).isEqualTo(9);
    }

    @Test
    void theTransportEndsWithItsInput() throws Exception {
        initialize();
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"cursor\":{}}}");
        assertThat(reply().at("/error/code").asInt()).isEqualTo(-32602);
        toServer.close();
        server.join(Duration.ofSeconds(10));
        assertThat(server.isAlive()).isFalse();
    }

    @Test
    void catalogueChangesReachTheClient() throws IOException {
        initialize();
        fixture.register(2, new dev.plugboard.host.tool.DuplicateTools());
        assertThat(reply().get("method").asText()).isEqualTo("notifications/tools/list_changed");
    }
}
