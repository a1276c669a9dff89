package dev.plugboard.host.http;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Protects against DNS rebinding and cross-site requests: checks the {@code Host} header (while the
 * server is bound to loopback, or when allowed hosts are configured) and any {@code Origin} header.
 */
final class RequestGuard {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

    private final boolean loopback;
    private final Set<String> allowedHosts;
    private final Set<String> allowedOrigins;

    /**
     * @param loopback whether the server is bound to a loopback address
     * @param allowedHosts extra host names accepted in {@code Host}
     * @param allowedOrigins origins accepted in {@code Origin}, such as {@code https://app.example.com}
     */
    RequestGuard(boolean loopback, Set<String> allowedHosts, Set<String> allowedOrigins) {
        this.loopback = loopback;
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** Why a request must be refused, or empty when it may proceed. */
    Optional<String> refusal(String host, String origin) {
        if (loopback || !allowedHosts.isEmpty()) {
            String name = hostName(host);
            if (name == null) {
                return Optional.of("Forbidden: the Host header is missing or malformed");
            }
            if (!(loopback && LOOPBACK.contains(name)) && !allowedHosts.contains(name)) {
                return Optional.of("Forbidden: Host '" + name + "' is not allowed");
            }
        }
        if (origin != null && !originAllowed(origin)) {
            return Optional.of("Forbidden: Origin '" + origin + "' is not allowed");
        }
        return Optional.empty();
    }

    /**
     * Whether a {@code Host} value is well formed: a DNS name or IPv4 address, or an IPv6 address in
     * brackets, with an optional port of up to five digits.
     */
    static boolean wellFormedHost(String host) {
        int n = host.length();
        if (n == 0 || n > 255) {
            return false;
        }
        int i = 0;
        if (host.charAt(0) == '[') {
            int end = host.indexOf(']');
            if (end < 3) {
                return false;
            }
            for (i = 1; i < end; i++) {
                char c = host.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = end + 1;
        } else {
            for (; i < n && host.charAt(i) != ':'; i++) {
                char c = host.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                        || c == '.' || c == '_')) {
                    return false;
                }
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == n) {
            return true;
        }
        if (host.charAt(i) != ':' || n - i - 1 > 5) {
            return false;
        }
        for (int j = i + 1; j < n; j++) {
            if (host.charAt(j) < '0' || host.charAt(j) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether a browser origin may call the server (also used for CORS). */
    boolean originAllowed(String origin) {
        String normalised = origin.toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(normalised) || allowedOrigins.contains("*")) {
            return true;
        }
        try {
            URI uri = new URI(normalised);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (host != null && host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return loopback && ("http".equals(scheme) || "https".equals(scheme)) && host != null
                    && LOOPBACK.contains(host);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String hostName(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
