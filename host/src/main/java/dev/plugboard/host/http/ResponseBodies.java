package dev.plugboard.host.http;

import java.io.IOException;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.ContentType;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;

/**
 * Hands finished bodies to Grizzly as they are. Writing through the response's stream would copy
 * them into a response buffer of its own, which Grizzly takes from a per-thread pool; request
 * threads are virtual, so that pool is always empty and every response would allocate a fresh
 * 8 KB buffer.
 */
final class ResponseBodies {

    private static final ContentType JSON = ContentType.newContentType("application/json").prepare();

    private ResponseBodies() {
    }

    /** Wraps bytes the caller will not touch again. */
    static Buffer wrap(byte[] bytes) {
        return Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, bytes);
    }

    /** Sends a whole JSON body with its length. */
    static void send(Response response, byte[] json) throws IOException {
        response.setContentType(JSON);
        response.setContentLength(json.length);
        response.getOutputBuffer().writeBuffer(wrap(json));
    }
}
