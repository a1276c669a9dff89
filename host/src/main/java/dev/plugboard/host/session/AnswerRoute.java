package dev.plugboard.host.session;

/** Where a client's answer to a server-to-client request went ({@link Session#answer}). */
public enum AnswerRoute {
    /** To the request waiting for it on this node. */
    SETTLED,
    /** To the node that asked, through the shared store. */
    FORWARDED,
    /** Nowhere: no node waits for it (answered already, given up, never asked, or the session's node dropped it). */
    NOT_AWAITED,
    /** Nowhere: the node that asked stopped or died, and the question died with it. */
    ASKER_GONE
}
