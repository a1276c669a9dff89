package dev.plugboard.api.client;

import java.util.Map;
import java.util.Objects;

/**
 * The user's answer to an {@link ElicitRequest}.
 *
 * @param action whether the user accepted, declined or cancelled
 * @param content the form's values when accepted (strings, numbers, booleans, lists); empty otherwise
 */
public record ElicitResult(Action action, Map<String, Object> content) {

    /** Rejects a null action; a null content becomes empty. */
    public ElicitResult {
        Objects.requireNonNull(action, "action");
        content = content == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(content));
    }

    /** How the user answered. */
    public enum Action {
        /** Submitted the form. */
        ACCEPT,
        /** Refused to give the information. */
        DECLINE,
        /** Dismissed the request. */
        CANCEL
    }
}
