package dev.plugboard.host.protocol.completion;

import java.util.List;

/**
 * Result of {@code completion/complete}.
 *
 * @param completion the candidates
 */
public record CompleteResult(Values completion) {

    /**
     * Candidates for the argument.
     *
     * @param values at most 100, best first
     * @param total how many exist
     * @param hasMore whether more exist than were sent
     */
    public record Values(List<String> values, Integer total, Boolean hasMore) {
    }
}
