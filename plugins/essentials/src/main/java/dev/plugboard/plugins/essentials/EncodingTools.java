package dev.plugboard.plugins.essentials;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.osgi.service.component.annotations.Component;

/**
 * Hashing and encoding.
 */
@Component(service = EncodingTools.class)
@McpProvider
public class EncodingTools {

    /** Digest algorithms {@link #hash} offers. */
    public enum Algorithm {
        /** MD5 (not for security). */
        MD5("MD5"),
        /** SHA-1 (not for security). */
        SHA_1("SHA-1"),
        /** SHA-256. */
        SHA_256("SHA-256"),
        /** SHA-512. */
        SHA_512("SHA-512"),
        /** SHA3-256. */
        SHA3_256("SHA3-256");

        private final String jca;

        Algorithm(String jca) {
            this.jca = jca;
        }
    }

    @Tool(title = "Hash", description = "Computes the hex digest of a text's UTF-8 bytes with MD5, SHA-1, "
            + "SHA-256, SHA-512 or SHA3-256.", readOnly = true, idempotent = true, openWorld = false)
    public String hash(@Param(description = "The text to hash") String text,
            @Param(description = "The digest algorithm", defaultValue = "SHA_256") Algorithm algorithm) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm.jca);
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new ToolException(algorithm + " is not available in this Java runtime");
        }
    }

    @Tool(title = "Base64 encode", description = "Encodes a text's UTF-8 bytes as Base64 (RFC 4648), optionally "
            + "with the URL-safe alphabet.", readOnly = true, idempotent = true, openWorld = false)
    public String base64Encode(@Param(description = "The text to encode") String text,
            @Param(description = "Use the URL-safe alphabet without padding", defaultValue = "false") boolean urlSafe) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return urlSafe ? Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
                : Base64.getEncoder().encodeToString(bytes);
    }

    @Tool(title = "Base64 decode", description = "Decodes Base64 (standard or URL-safe alphabet, padding "
            + "optional) to UTF-8 text.", readOnly = true, idempotent = true, openWorld = false)
    public String base64Decode(@Param(description = "The Base64 data") String data) {
        String compact = data.replaceAll("\\s", "");
        byte[] bytes;
        try {
            bytes = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(compact) : Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new ToolException("not valid Base64: " + e.getMessage());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ToolException("the decoded bytes are not UTF-8 text (" + bytes.length + " bytes)");
        }
    }

    @Tool(title = "URL encode", description = "Percent-encodes a text for use in a URL query component.",
            readOnly = true, idempotent = true, openWorld = false)
    public String urlEncode(@Param(description = "The text to encode") String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Tool(title = "URL decode", description = "Decodes a percent-encoded URL component.", readOnly = true,
            idempotent = true, openWorld = false)
    public String urlDecode(@Param(description = "The text to decode") String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ToolException("not a valid percent-encoded text: " + e.getMessage());
        }
    }

    @Tool(title = "Generate UUID", description = "Generates a random (version 4) UUID.", readOnly = true,
            openWorld = false)
    public String uuid() {
        return UUID.randomUUID().toString();
    }
}
