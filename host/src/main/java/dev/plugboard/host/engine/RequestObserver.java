package dev.plugboard.host.engine;

import dev.plugboard.host.protocol.ProtocolVersion;

/**
 * Told about every request the engine answers: the one hook metrics need. Both methods run on the
 * request's own threads, the second usually on the plugin's thread that finished a tool call, before
 * the answer is written: they must be quick, must not block and must not throw.
 */
public interface RequestObserver {

    /** Observes nothing. */
    RequestObserver NONE = new RequestObserver() {
        @Override
        public void started() {
        }

        @Override
        public void finished(Door door, ProtocolVersion version, String method, String tool, Outcome outcome,
                long nanos) {
        }
    };

    /** How a request ended. */
    enum Outcome {
        /** Answered with a result. */
        OK,
        /** A tool call whose result is an error result ({@code isError}). */
        TOOL_ERROR,
        /** Answered with an error that is the client's doing (bad request, unknown tool or method...). */
        CLIENT_ERROR,
        /** Turned away for now: busy, degraded or refused (the client may try again). */
        BUSY,
        /** Answered with an error that is the server's or the plugin's doing. */
        SERVER_ERROR,
        /** Cancelled by the client; no answer was sent. */
        CANCELLED
    }

    /** A request started (every start is followed by exactly one {@link #finished}). */
    void started();

    /**
     * A request ended.
     *
     * @param door where it came from
     * @param version the protocol revision it was answered in
     * @param method its JSON-RPC method, as the client sent it (not trusted to be bounded)
     * @param tool for {@code tools/call}, the tool name as the client sent it (not trusted to be
     *     bounded), else null
     * @param outcome how it ended
     * @param nanos how long it took, from its arrival in the engine to its answer
     */
    void finished(Door door, ProtocolVersion version, String method, String tool, Outcome outcome, long nanos);
}
