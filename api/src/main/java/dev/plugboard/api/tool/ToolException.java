package dev.plugboard.api.tool;

/**
 * Thrown by a tool to end the call with an error result whose text is this exception's message.
 *
 * <p>Any other exception does the same; this one states the intent and keeps the message clean.
 */
public class ToolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, written for the model that called the tool
     */
    public ToolException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, written for the model that called the tool
     * @param cause the underlying failure, logged by the host and never sent to the client
     */
    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
