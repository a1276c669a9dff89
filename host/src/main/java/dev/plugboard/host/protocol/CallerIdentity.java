package dev.plugboard.host.protocol;

import dev.plugboard.api.context.Caller;
import dev.plugboard.host.security.CallLimiter;
import dev.plugboard.host.security.Rights;
import java.util.Optional;
import java.util.Set;

/**
 * The host's view of who is calling.
 *
 * @param principal the authenticated principal, or {@code anonymous}
 * @param roles the principal's roles
 * @param rights what the principal may see and use (the tools, resources and prompts its roles and
 *     credential allow)
 * @param client the client's announced name, or null
 * @param clientVersionName the client's announced version, or null
 * @param session the session id, or null for a stateless request
 * @param limits the admission of the principal's tool calls (search mode's {@code call_tool} takes a
 *     slot of the tool it calls)
 */
public record CallerIdentity(String principal, Set<String> roles, Rights rights, String client, String clientVersionName,
        String session, CallLimiter limits) implements Caller {

    /** The name used for a caller that presented no credentials. */
    public static final String ANONYMOUS = "anonymous";

    /** Copies the roles. */
    public CallerIdentity {
        roles = Set.copyOf(roles);
    }

    /** An identity with the local user's rights (every catalogue entry), as stdio and the host's own calls have. */
    public CallerIdentity(String principal, Set<String> roles, String client, String clientVersionName,
            String session) {
        this(principal, roles, dev.plugboard.host.security.Principal.LOCAL.rights(), client, clientVersionName,
                session, CallLimiter.NONE);
    }

    @Override
    public Optional<String> clientName() {
        return Optional.ofNullable(client);
    }

    @Override
    public Optional<String> clientVersion() {
        return Optional.ofNullable(clientVersionName);
    }

    @Override
    public Optional<String> sessionId() {
        return Optional.ofNullable(session);
    }
}
