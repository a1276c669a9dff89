package dev.plugboard.api.content;

import java.util.Objects;

/**
 * One message of a conversation: a prompt's message, or a message sent to the client's model.
 *
 * @param role who speaks
 * @param content what is said; never null
 */
public record Message(Role role, Content content) {

    /** Rejects nulls. */
    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /** A user message holding one block. */
    public static Message user(Content content) {
        return new Message(Role.USER, content);
    }

    /** A user message holding text. */
    public static Message user(String text) {
        return user(Content.text(text));
    }

    /** An assistant message holding one block. */
    public static Message assistant(Content content) {
        return new Message(Role.ASSISTANT, content);
    }

    /** An assistant message holding text. */
    public static Message assistant(String text) {
        return assistant(Content.text(text));
    }
}
