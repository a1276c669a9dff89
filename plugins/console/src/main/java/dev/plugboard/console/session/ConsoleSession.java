package dev.plugboard.console.session;

import java.time.Instant;

/**
 * A logged-in console user.
 *
 * @param id the session id (the cookie's value), 32 random bytes in URL-safe Base64
 * @param credential the API key the user logged in with; sent to the host's API, never to the browser
 * @param csrf the token every state-changing request of this session must carry
 * @param who a name to show (never the key)
 * @param rights what the credential may do, as the host answered at login
 * @param since when the session began
 */
public record ConsoleSession(String id, String credential, String csrf, String who, Rights rights, Instant since) {

    /**
     * What the credential may do: read the catalogue always; {@code admin} is the host's admin operations
     * (modules, plugin configuration), {@code keys} the API keys.
     */
    public record Rights(boolean admin, boolean keys) {
    }
}
