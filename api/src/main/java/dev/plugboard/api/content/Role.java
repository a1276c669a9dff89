package dev.plugboard.api.content;

/** A party of a conversation: the human using the client, or the model. */
public enum Role {
    /** The human using the client. */
    USER,
    /** The model. */
    ASSISTANT
}
