package dev.plugboard.host.tracing;

import java.net.URI;

/**
 * The host's span export settings.
 *
 * @param otlpEndpoint {@code tracing.otlp.endpoint}: the OTLP/HTTP traces URL spans are sent to (such
 *     as {@code http://127.0.0.1:4318/v1/traces}), or null when the host starts no spans (the default)
 */
public record TracingSettings(URI otlpEndpoint) {

    /** No spans, no export. */
    public static final TracingSettings OFF = new TracingSettings(null);

    /** Whether the host starts and exports spans. */
    public boolean enabled() {
        return otlpEndpoint != null;
    }

    /**
     * Reads {@code tracing.otlp.endpoint}.
     *
     * @param endpoint the setting's value; empty for none
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static TracingSettings parse(String endpoint) {
        String e = endpoint == null ? "" : endpoint.trim();
        if (e.isEmpty()) {
            return OFF;
        }
        URI uri;
        try {
            uri = new URI(e);
        } catch (java.net.URISyntaxException x) {
            throw new IllegalArgumentException("must be an http or https URL, not '" + e + "'");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("must be an http or https URL, not '" + e + "'");
        }
        return new TracingSettings(uri);
    }
}
