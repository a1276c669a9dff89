package dev.plugboard.api.content;

import java.time.Instant;
import java.util.List;

/**
 * Hints attached to content: who it is for, how important it is, when it last changed.
 *
 * @param audience who the content is meant for; null or empty for anyone
 * @param priority importance from 0 (optional) to 1 (required); null for unspecified
 * @param lastModified when the content last changed; null for unknown
 */
public record Annotations(List<Role> audience, Double priority, Instant lastModified) {

    /** Validates the priority range and copies the audience. */
    public Annotations {
        audience = audience == null ? null : List.copyOf(audience);
        if (priority != null && (priority < 0 || priority > 1)) {
            throw new IllegalArgumentException("priority must be between 0 and 1: " + priority);
        }
    }
}
