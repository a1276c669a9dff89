package dev.plugboard.host.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The MCP revisions the engine speaks. The session-based revisions negotiate through
 * {@code initialize}; the stateless one is named on every request.
 */
public enum ProtocolVersion {
    /** The first Streamable HTTP revision. */
    V2025_03_26("2025-03-26"),
    /** Adds structured tool output and elicitation. */
    V2025_06_18("2025-06-18"),
    /** The current session-based revision. */
    V2025_11_25("2025-11-25"),
    /** The stateless revision: no initialize, no sessions; every request names its version. */
    V2026_07_28("2026-07-28");

    private final String id;

    ProtocolVersion(String id) {
        this.id = id;
    }

    /** The newest session-based revision, offered when a client asks for one we do not speak. */
    public static final ProtocolVersion LATEST = V2025_11_25;

    /** The session-based revision a client asked for, or the newest one. */
    public static ProtocolVersion negotiate(String requested) {
        return parse(requested).filter(v -> !v.stateless()).orElse(LATEST);
    }

    /** The revision's date string, as sent on the wire. */
    public String id() {
        return id;
    }

    /** The revision named by a wire string, if the engine speaks it. */
    public static Optional<ProtocolVersion> parse(String id) {
        for (ProtocolVersion v : values()) {
            if (v.id.equals(id)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Every revision's wire string, newest first. */
    public static List<String> supported() {
        return Arrays.stream(values()).map(ProtocolVersion::id).sorted((a, b) -> b.compareTo(a)).toList();
    }

    /** Whether this is the stateless revision. */
    public boolean stateless() {
        return this == V2026_07_28;
    }

    /** Whether SSE streams start with a priming event and can be resumed ({@code Last-Event-ID}). */
    public boolean resumableStreams() {
        return this == V2025_11_25;
    }

    /** Whether JSON-RPC batches are part of the revision (2025-03-26 requires servers to accept them). */
    public boolean acceptsBatches() {
        return this == V2025_03_26;
    }

    /** Whether tool results may carry {@code structuredContent} and tools an {@code outputSchema}. */
    public boolean hasStructuredOutput() {
        return this != V2025_03_26;
    }

    @Override
    public String toString() {
        return id;
    }
}
