package dev.plugboard.router.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

class TokenCounterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void countsTextWithTheModelsTokenizer() {
        // "tiktoken is great!" is 6 tokens in cl100k_base (OpenAI's published example)
        assertEquals(6, TokenCounter.textTokens("tiktoken is great!", "gpt-4"));
        assertEquals(0, TokenCounter.textTokens("", "gpt-4"));
    }

    @Test
    void choosesTheEncodingByModelFamily() {
        assertEquals(EncodingType.O200K_BASE, TokenCounter.encodingTypeFor("gpt-4o-mini"));
        assertEquals(EncodingType.O200K_BASE, TokenCounter.encodingTypeFor("openai/gpt-4.1"));
        assertEquals(EncodingType.O200K_BASE, TokenCounter.encodingTypeFor("o3-mini"));
        assertEquals(EncodingType.CL100K_BASE, TokenCounter.encodingTypeFor("gpt-4"));
        assertEquals(EncodingType.CL100K_BASE, TokenCounter.encodingTypeFor("tiny-llama"));
        assertEquals(EncodingType.CL100K_BASE, TokenCounter.encodingTypeFor(null));
    }

    @Test
    void countsEveryMessageWithItsOverhead() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("""
                {"messages":[{"role":"system","content":"tiktoken is great!"},
                             {"role":"user","content":[{"type":"text","text":"tiktoken is great!"}]}]}""");
        long role = TokenCounter.textTokens("system", "gpt-4") + TokenCounter.textTokens("user", "gpt-4");
        // 3 to prime the reply, 3 per message, the roles, and 6 per content
        assertEquals(3 + 2 * 3 + role + 2 * 6, TokenCounter.promptTokens(body, "gpt-4"));
    }

    @Test
    void aHugeTextIsExtrapolatedCloseToItsExactCount() {
        String sentence = "The quick brown fox jumps over the lazy dog, 1234 times. ";
        String huge = sentence.repeat(4000); // 228,000 characters, beyond the exact limit
        long exact = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE).countTokensOrdinary(huge);
        long estimated = TokenCounter.textTokens(huge, "gpt-4o");
        assertTrue(Math.abs(estimated - exact) <= exact / 50, "estimated " + estimated + ", exact " + exact);
    }
}
