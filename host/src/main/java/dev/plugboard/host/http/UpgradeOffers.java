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
        for (int i = start; i + NAME.length <= end; i++) {
            if (bytes.get(i) == '\n' && i + 2 < end && (bytes.get(i + 1) == '\r' || bytes.get(i + 1) == '\n')) {
                return false; // the end of the headers
            }
            if (matchesIgnoringCase(bytes, i, NAME) && offersOnlyH2c(bytes, i + NAME.length, end)) {
                for (int k = 0; k < IGNORED.length; k++) {
                    bytes.put(i + 1 + k, IGNORED[k]);
                }
                return true;
            }
        }
        return false;
    }

    private static boolean offersOnlyH2c(Buffer bytes, int from, int end) {
        int i = skipSpaces(bytes, from, end);
        if (i + H2C.length > end || !matchesIgnoringCase(bytes, i, H2C)) {
            return false;
        }
        i = skipSpaces(bytes, i + H2C.length, end);
        return i < end && (bytes.get(i) == '\r' || bytes.get(i) == '\n');
    }

    private static int skipSpaces(Buffer bytes, int from, int end) {
        int i = from;
        while (i < end && (bytes.get(i) == ' ' || bytes.get(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean matchesIgnoringCase(Buffer bytes, int at, byte[] lower) {
        for (int k = 0; k < lower.length; k++) {
            int b = bytes.get(at + k);
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
