package dev.plugboard.router.learned;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the learned router's labelled examples: JSON Lines, one example a line,
 * {@code {"prompt": "...", "weakCorrect": true, "strongCorrect": false}}; blank lines are skipped.
 */
final class LabelledExamples {

    private LabelledExamples() {
    }

    /**
     * The examples of a file's content.
     *
     * @throws IllegalArgumentException naming the first bad line, or when there is no example
     */
    static List<LabelledPrompt> parse(byte[] content, ObjectMapper mapper) {
        List<LabelledPrompt> out = new ArrayList<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode n;
            try {
                n = mapper.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a JSON object");
            }
            if (n == null || !n.path("prompt").isTextual() || n.path("prompt").asText().isBlank()
                    || !n.path("weakCorrect").isBoolean() || !n.path("strongCorrect").isBoolean()) {
                throw new IllegalArgumentException("line " + (i + 1) + " needs a \"prompt\" text and the booleans "
                        + "\"weakCorrect\" and \"strongCorrect\"");
            }
            out.add(new LabelledPrompt(n.get("prompt").asText(), n.get("weakCorrect").asBoolean(),
                    n.get("strongCorrect").asBoolean()));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("it has no example");
        }
        return out;
    }
}
