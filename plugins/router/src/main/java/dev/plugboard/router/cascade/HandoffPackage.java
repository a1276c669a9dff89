package dev.plugboard.router.cascade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a higher tier is told when a lower tier's answer was rejected: compact, typed, and sent as a
 * system message ahead of the original conversation.
 *
 * @param contextSummary the conversation's summary so far, or ""
 * @param currentTask the user's last message
 * @param attempts what was tried before
 * @param knownIssues the reviewer's issues with the last answer
 * @param openQuestions what the reviewer says is unsettled
 * @param request what the higher tier is asked to do
 */
public record HandoffPackage(String contextSummary, String currentTask, List<Attempt> attempts,
        List<String> knownIssues, List<String> openQuestions, String request) {

    /** Copies the lists. */
    public HandoffPackage {
        attempts = List.copyOf(attempts);
        knownIssues = List.copyOf(knownIssues);
        openQuestions = List.copyOf(openQuestions);
    }

    /**
     * One rejected answer.
     *
     * @param tier the tier that answered
     * @param model the model that answered
     * @param answer the answer, shortened
     * @param issues why it was rejected
     */
    public record Attempt(String tier, String model, String answer, List<String> issues) {
        /** Copies the list. */
        public Attempt {
            issues = List.copyOf(issues);
        }
    }

    /** The package as JSON. */
    public ObjectNode toJson(ObjectMapper mapper) {
        return mapper.valueToTree(this);
    }

    /** The system message that hands the package to the next tier. */
    public String asSystemMessage(ObjectMapper mapper) {
        return "A lower tier's answer to this conversation was rejected by a reviewer. Handoff package (JSON): "
                + toJson(mapper) + " Answer the user's last message, avoiding the known issues.";
    }
}
