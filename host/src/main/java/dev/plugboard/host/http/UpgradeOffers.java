package dev.plugboard.host.http;

import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Buffer;

/**
 * Turns a request's offer to switch to cleartext HTTP/2 ({@code Upgrade: h2c}, sent by the JDK's
 * {@code HttpClient} and {@code curl --http2} by default) into an ordinary HTTP/1.1 request, which a
 * server may always do (RFC 9110, 7.8). Grizzly's HTTP codec takes every {@code Upgrade} header as a
 * switch of protocol and stops framing the request and its answer by length, so an offered upgrade
 * stalled request bodies and sent answers without their headers. The header's name is overwritten in
 * place, before the codec reads it, with a name of the same length that nothing reads; WebSocket
 * upgrades (GraphQL subscriptions) are left alone.
 */
final class UpgradeOffers {

    private static final byte[] NAME = "\nupgrade:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] H2C = "h2c".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IGNORED = "X-Offer".getBytes(StandardCharsets.US_ASCII);

    private UpgradeOffers() {
    }

    /**
     * Neutralises an {@code Upgrade: h2c} header in the head of a request.
     *
     * @param bytes the read that starts a request; only its header section (up to the first empty
     *     line, at most 8 KiB) is looked at, and only a header whose every offered protocol is
     *     {@code h2c} is changed
     * @return whether a header was changed
     */
    static boolean neutralise(Buffer bytes) {
        int start = bytes.position();
        int end = Math.min(bytes.limit(), start + 8192);
        if (bytes.hasArray()) { // the usual read: scanned in place, without a call per byte
            byte[] head = bytes.array();
            int offset = bytes.arrayOffset();
            int at = offer(head, offset + start, offset + end);
            if (at < 0) {
                return false;
            }
            System.arraycopy(IGNORED, 0, head, at + 1, IGNORED.length);
            return true;
        }
        byte[] head = new byte[end - start]; // a read made of several buffers: its head, copied
        int length = 0;
        while (length < head.length) {
            head[length] = bytes.get(start + length);
            length++;
            if (length > 1 && head[length - 2] == '\n' && (head[length - 1] == '\r' || head[length - 1] == '\n')) {
                break;
            }
        }
        int at = offer(head, 0, length);
        if (at < 0) {
            return false;
        }
        for (int k = 0; k < IGNORED.length; k++) {
            bytes.put(start + at + 1 + k, IGNORED[k]);
        }
        return true;
    }

    /** Where the line break before an {@code Upgrade: h2c} header is, or -1 when the head has none. */
    private static int offer(byte[] head, int from, int end) {
        for (int i = from; i + 1 < end; i++) {
            if (head[i] != '\n') {
                continue;
            }
            byte next = head[i + 1];
            if (next == '\r' || next == '\n') {
                return -1; // the end of the headers
            }
            if ((next == 'u' || next == 'U') && i + NAME.length <= end && matchesIgnoringCase(head, i, NAME)
                    && offersOnlyH2c(head, i + NAME.length, end)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean offersOnlyH2c(byte[] head, int from, int end) {
        int i = skipSpaces(head, from, end);
        if (i + H2C.length > end || !matchesIgnoringCase(head, i, H2C)) {
            return false;
        }
        i = skipSpaces(head, i + H2C.length, end);
        return i < end && (head[i] == '\r' || head[i] == '\n');
    }

    private static int skipSpaces(byte[] head, int from, int end) {
        int i = from;
        while (i < end && (head[i] == ' ' || head[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean matchesIgnoringCase(byte[] head, int at, byte[] lower) {
        for (int k = 0; k < lower.length; k++) {
            int b = head[at + k];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lower[k]) {
                return false;
            }
        }
        return true;
    }
}
