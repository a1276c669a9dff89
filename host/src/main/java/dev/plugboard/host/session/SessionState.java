package dev.plugboard.host.session;

import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.lifecycle.Implementation;
import java.util.Set;

/**
 * What a session keeps that outlives the node serving it: enough to serve the session on another
 * node, or on this one after a restart. Requests in flight and open streams belong to the node and
 * are not part of it.
 *
 * @param id the session id
 * @param version the negotiated revision
 * @param client the client's announced name and version, or null
 * @param capabilities the client's declared capabilities
 * @param clientAddress where the client first connected from, or null
 * @param logLevel the lowest log level the client wants
 * @param initialized whether the client sent {@code notifications/initialized}
 * @param subscriptions the URIs of the resources the client subscribed to
 * @param owner the credential that opened the session ({@code Principal.credential()}), or null when
 *     opened without one (stdio); only that credential may use the session
 * @param revision how many times the shared store has written the session, counted by the store (0
 *     when unknown): a copy takes a state from another node only when its revision is newer, so that
 *     a late message cannot undo a later change
 */
public record SessionState(String id, ProtocolVersion version, Implementation client, ClientCapabilities capabilities,
        String clientAddress, LogLevel logLevel, boolean initialized, Set<String> subscriptions,
        String owner, long revision) {

    /** Copies the subscriptions. */
    public SessionState {
        subscriptions = Set.copyOf(subscriptions);
    }
}
