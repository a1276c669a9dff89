package dev.plugboard.host.graphql;

/**
 * Whether a WebSocket upgrade request passes the server's request checks (one well-formed
 * {@code Host}, and the DNS-rebinding guard on {@code Host} and {@code Origin}). An upgrade that
 * does not is left to the HTTP handler, which refuses it the way it refuses any request.
 */
@FunctionalInterface
public interface UpgradeGuard {

    /**
     * @param host the {@code Host} header, or null
     * @param hostHeaders how many {@code Host} headers the request has
     * @param origin the {@code Origin} header, or null
     * @return whether the upgrade may proceed
     */
    boolean admits(String host, int hostHeaders, String origin);
}
