package dev.plugboard.host.protocol;

import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Reads the value of an HTTP header that mirrors a value of the request body ({@code Mcp-Name},
 * {@code Mcp-Param-*}): surrounding whitespace is not part of it, only visible ASCII, space and tab
 * may appear, and {@code =?base64?...?=} carries the UTF-8 bytes of any other value in standard,
 * padded Base64.
 */
public final class MirroredValue {

    private static final String PREFIX = "=?base64?";
    private static final String SUFFIX = "?=";
    private static final Pattern BASE64 = Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

    private MirroredValue() {
    }

    /**
     * The value a header carries.
     *
     * @param header the header's name, for the error message
     * @param raw the header's value as received
     * @throws McpException {@code -32020} when the value holds characters a header cannot carry, or
     *         is not valid Base64 inside the sentinel
     */
    public static String decode(String header, String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && isBlank(raw.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(raw.charAt(end - 1))) {
            end--;
        }
        String value = raw.substring(start, end);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                throw new McpException(ErrorCodes.HEADER_MISMATCH, "Invalid " + header
                        + " header: a header value holds only visible ASCII, spaces and tabs; encode others as =?base64?...?=");
            }
        }
        if (value.length() < PREFIX.length() + SUFFIX.length() || !value.startsWith(PREFIX) || !value.endsWith(SUFFIX)) {
            return value;
        }
        String encoded = value.substring(PREFIX.length(), value.length() - SUFFIX.length());
        if (!BASE64.matcher(encoded).matches()) {
            throw malformed(header);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getDecoder().decode(encoded))).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw malformed(header);
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static McpException malformed(String header) {
        return new McpException(ErrorCodes.HEADER_MISMATCH, "Invalid " + header
                + " header: the value inside =?base64?...?= is not padded standard Base64 of UTF-8 text");
    }
}
