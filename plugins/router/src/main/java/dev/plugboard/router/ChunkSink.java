package dev.plugboard.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Where a streamed answer goes: the first {@link #chunk} commits the response (no model switch after
 * it), {@link #done} ends it as complete, {@link #error} ends it as failed. Used from one thread.
 */
public interface ChunkSink {

    /** Sends a {@code chat.completion.chunk}. */
    void chunk(ObjectNode chunk) throws IOException;

    /** Ends the stream as failed, with an OpenAI error object; never followed by {@code [DONE]}. */
    void error(ObjectNode error) throws IOException;

    /** Ends the stream as complete ({@code data: [DONE]}). */
    void done() throws IOException;
}
