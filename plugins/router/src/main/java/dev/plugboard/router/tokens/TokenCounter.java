package dev.plugboard.router.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;

/**
 * Counts the tokens of a chat request's messages and of a model's reply the way OpenAI's tokenizers
 * do: {@code o200k_base} for the GPT-4o, GPT-4.1, GPT-5 and o-series families, {@code cl100k_base} for
 * every other model (exact for GPT-4 and GPT-3.5, a close estimate for other vendors' models). Each
 * message costs its content's tokens plus a few for its role and separators, as OpenAI documents.
 * The encodings are loaded once, on first use. Thread-safe.
 */
public final class TokenCounter {

    /** Tokens a message costs beyond its content (role, separators). */
    private static final int PER_MESSAGE = 3;
    /** Tokens that prime the reply. */
    private static final int PER_REPLY = 3;
    /**
     * Beyond this many characters a text is counted on its first part and extrapolated, so that a huge
     * prompt does not cost milliseconds of encoding just to reserve a budget.
     */
    private static final int EXACT_CHARS = 32_768;

    private TokenCounter() {}

    private static final class Loaded {
        static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
        static final Encoding O200K = REGISTRY.getEncoding(EncodingType.O200K_BASE);
        static final Encoding CL100K = REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    }

    /**
     * The prompt tokens of a chat-completions body's {@code messages} for a model.
     *
     * @param body the request body (its {@code messages}: string content, or an array of parts whose
     *        {@code text} is counted)
     * @param upstreamModel the model's name at its provider (chooses the encoding), may be null
     */
    public static long promptTokens(JsonNode body, String upstreamModel) {
        Encoding encoding = encodingFor(upstreamModel);
        long tokens = PER_REPLY;
        for (JsonNode m : body.path("messages")) {
            tokens += PER_MESSAGE + count(encoding, m.path("role").asText(""));
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                tokens += count(encoding, content.asText());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    tokens += count(encoding, part.path("text").asText(""));
                }
            }
            if (m.has("name")) {
                tokens += 1 + count(encoding, m.path("name").asText(""));
            }
            if (m.has("tool_calls")) {
                tokens += count(encoding, m.get("tool_calls").toString());
            }
        }
        if (body.has("tools")) {
            tokens += count(encoding, body.get("tools").toString());
        }
        return tokens;
    }

    /** The tokens of a reply's text for a model (when the provider reported no usage). */
    public static long textTokens(CharSequence text, String upstreamModel) {
        return count(encodingFor(upstreamModel), text.toString());
    }

    /** The encoding OpenAI uses for this model name; {@code cl100k_base} when unknown. */
    static EncodingType encodingTypeFor(String upstreamModel) {
        String m = upstreamModel == null ? "" : upstreamModel.toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        if (slash >= 0) {
            m = m.substring(slash + 1); // "openai/gpt-4o" as OpenRouter names it
        }
        boolean o200k = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5")
                || m.startsWith("gpt-5") || m.startsWith("chatgpt-4o") || m.matches("o[1-9]([-.].*)?");
        return o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE;
    }

    private static Encoding encodingFor(String upstreamModel) {
        return encodingTypeFor(upstreamModel) == EncodingType.O200K_BASE ? Loaded.O200K : Loaded.CL100K;
    }

    private static long count(Encoding encoding, String text) {
        if (text.isEmpty()) {
            return 0;
        }
        if (text.length() <= EXACT_CHARS) {
            return encoding.countTokensOrdinary(text);
        }
        int cut = EXACT_CHARS;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        long head = encoding.countTokensOrdinary(text.substring(0, cut));
        return (long) Math.ceil((double) head * text.length() / cut);
    }
}
