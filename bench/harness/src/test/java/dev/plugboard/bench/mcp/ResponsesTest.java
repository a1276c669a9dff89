package dev.plugboard.bench.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ResponsesTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void findsAJsonResponseByItsId() throws CheckFailed {
        JsonNode r = Responses.find(mapper, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}", 7);
        assertThat(r.get("result").isObject()).isTrue();
    }

    @Test
    void rejectsAJsonResponseToAnotherRequest() {
        assertThatThrownBy(() -> Responses.find(mapper, "application/json",
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"result\":{}}", 7)).isInstanceOf(CheckFailed.class);
    }

    @Test
    void findsTheResponseInAnEventStreamAfterNotifications() throws CheckFailed {
        String body = "id: 1\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                + "\"params\":{}}\n\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\r\ndata: \"result\":{\"x\":1}}"
                + "\r\n\r\n";
        JsonNode r = Responses.find(mapper, "text/event-stream; charset=utf-8", body, 3);
        assertThat(r.at("/result/x").asInt()).isEqualTo(1);
    }

    @Test
    void anEventStreamWithoutTheResponseOrWithBrokenJsonFails() {
        assertThatThrownBy(() -> Responses.find(mapper, "text/event-stream",
                "data: {\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{}}\n\n", 3)).isInstanceOf(CheckFailed.class)
                .hasMessageContaining("no response to request 3");
        assertThatThrownBy(() -> Responses.find(mapper, "text/event-stream", "data: {oops\n\n", 3))
                .isInstanceOf(CheckFailed.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> Responses.find(mapper, "application/json", "<html>busy</html>", 3))
                .isInstanceOf(CheckFailed.class);
    }
}
