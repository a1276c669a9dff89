package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.lifecycle.Implementation;
import dev.plugboard.host.session.Session;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the engine knows about the client of one request, whichever revision it speaks.
 *
 * @param version the revision of the request
 * @param capabilities the client's capabilities (the session's, or the request's own)
 * @param client the client's name and version, or null
 * @param session the session, or null for a stateless request
 * @param logLevel the lowest log level the stateless request asked for, or null for none
 * @param related where notifications about the request go
 * @param track told of the context of a call into plugin code, so that the request can be cancelled
 * @param paramHeaders the request's {@code Mcp-Param-*} headers by lower-case name after the prefix, to
 *        check against mirrored tool arguments; null when the transport has no headers to check
 */
record RequestScope(ProtocolVersion version, ClientCapabilities capabilities, Implementation client, Session session,
        LogLevel logLevel, MessageSink related, Consumer<CallContext> track, Map<String, String> paramHeaders) {

    static RequestScope of(Session session, MessageSink related, Consumer<CallContext> track) {
        return new RequestScope(session.version(), session.capabilities(), session.client(), session, null, related,
                track, null);
    }

    boolean stateless() {
        return session == null;
    }

    Supplier<LogLevel> logThreshold() {
        return session != null ? session::logLevel : () -> logLevel;
    }

    CallerIdentity caller() {
        dev.plugboard.host.security.Principal p = dev.plugboard.host.security.Principal.current();
        return new CallerIdentity(p.name(), p.roles(), p.rights(), client == null ? null : client.name(),
                client == null ? null : client.version(), session == null ? null : session.id(), p.limits());
    }

    static JsonNode progressToken(JsonNode params) {
        JsonNode token = params == null ? null : params.path("_meta").get("progressToken");
        return token == null || token.isNull() ? null : token;
    }
}
