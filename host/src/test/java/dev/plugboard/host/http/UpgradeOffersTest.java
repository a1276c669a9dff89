package dev.plugboard.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.junit.jupiter.api.Test;

class UpgradeOffersTest {

    private static Buffer bytes(String text) {
        return Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(Buffer buffer) {
        return buffer.toStringContent(StandardCharsets.US_ASCII);
    }

    @Test
    void anH2cOfferBecomesAHeaderNothingReads() {
        Buffer request = bytes("POST /mcp HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nContent-Length: 2\r\n"
                + "upgrade:  H2C \r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n\r\n{}");
        assertThat(UpgradeOffers.neutralise(request)).isTrue();
        assertThat(text(request)).contains("\r\nX-Offer:  H2C \r\n").doesNotContainIgnoringCase("upgrade: ")
                .endsWith("\r\n\r\n{}");
    }

    @Test
    void aWebSocketUpgradeIsLeftAlone() {
        String head = "GET /graphql HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
        Buffer request = bytes(head);
        assertThat(UpgradeOffers.neutralise(request)).isFalse();
        assertThat(text(request)).isEqualTo(head);
    }

    @Test
    void anOfferOfSeveralProtocolsIsLeftAlone() {
        Buffer request = bytes("GET / HTTP/1.1\r\nUpgrade: h2c, websocket\r\n\r\n");
        assertThat(UpgradeOffers.neutralise(request)).isFalse();
    }

    @Test
    void theBodyIsNeverTouched() {
        String text = "POST /mcp HTTP/1.1\r\nContent-Length: 16\r\n\r\n\nUpgrade: h2c\r\n\r\n";
        Buffer request = bytes(text);
        assertThat(UpgradeOffers.neutralise(request)).isFalse();
        assertThat(text(request)).isEqualTo(text);
    }

    @Test
    void aHeadSplitOverTwoBuffersOrAtAnOffsetIsReadToo() {
        String text = "POST /mcp HTTP/1.1\r\nContent-Length: 2\r\nUpgrade: h2c\r\n\r\n{}";
        Buffer split = Buffers.appendBuffers(MemoryManager.DEFAULT_MEMORY_MANAGER, bytes(text.substring(0, 30)),
                bytes(text.substring(30)));
        assertThat(split.hasArray()).isFalse();
        assertThat(UpgradeOffers.neutralise(split)).isTrue();
        assertThat(text(split)).contains("\r\nX-Offer: h2c\r\n").endsWith("\r\n\r\n{}");

        byte[] padded = ("xxxx" + text).getBytes(StandardCharsets.US_ASCII);
        Buffer sliced = Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, padded, 4, padded.length - 4).slice();
        assertThat(UpgradeOffers.neutralise(sliced)).isTrue();
        assertThat(new String(padded, StandardCharsets.US_ASCII)).isEqualTo("xxxx" + text.replace("Upgrade", "X-Offer"));
    }
}
