package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the {@code requestState} of input-required results (stateless revision): the
 * answers gathered in earlier rounds, bound to the request (method and name) and to an expiry, and
 * protected by an HMAC-SHA256 under a key every node of a deployment shares. A state that was
 * altered, belongs to another request or has expired is refused with invalid params.
 */
final class RequestStates {

    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final ObjectMapper mapper;
    private final Clock clock;

    RequestStates(byte[] key, Duration lifetime, ObjectMapper mapper, Clock clock) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the requestState key needs at least 16 bytes");
        }
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.lifetime = lifetime;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A sealed state carrying the answers so far for the named request. */
    String seal(String method, String name, Map<String, JsonNode> answers) {
        ObjectNode payload = mapper.createObjectNode().put("v", 1).put("m", method).put("n", name)
                .put("exp", clock.instant().plus(lifetime).getEpochSecond());
        ObjectNode a = payload.putObject("a");
        answers.forEach(a::set);
        byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
        return ENCODE.encodeToString(body) + "." + ENCODE.encodeToString(mac(body));
    }

    /**
     * The answers a state carries.
     *
     * @throws McpException with invalid params when the state is not intact, not for this request, or expired
     */
    Map<String, JsonNode> open(String state, String method, String name) {
        int dot = state.indexOf('.');
        byte[] body;
        byte[] signature;
        try {
            if (dot < 0) {
                throw new IllegalArgumentException("no signature");
            }
            body = DECODE.decode(state.substring(0, dot));
            signature = DECODE.decode(state.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw McpException.invalidParams("requestState integrity check failed");
        }
        if (!MessageDigest.isEqual(signature, mac(body))) {
            throw McpException.invalidParams("requestState integrity check failed");
        }
        JsonNode payload;
        try {
            payload = mapper.readTree(body);
        } catch (IOException e) {
            throw McpException.invalidParams("requestState integrity check failed");
        }
        if (!method.equals(payload.path("m").asText()) || !name.equals(payload.path("n").asText())) {
            throw McpException.invalidParams("requestState belongs to another request");
        }
        if (payload.path("exp").asLong() < clock.instant().getEpochSecond()) {
            throw McpException.invalidParams("requestState has expired; send the request again without it");
        }
        Map<String, JsonNode> answers = new java.util.LinkedHashMap<>();
        payload.path("a").properties().forEach(e -> answers.put(e.getKey(), e.getValue()));
        return answers;
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
