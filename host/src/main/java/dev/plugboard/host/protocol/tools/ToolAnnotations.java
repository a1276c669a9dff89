package dev.plugboard.host.protocol.tools;

/**
 * Hints about a tool's behaviour; a null member keeps the specification's default.
 *
 * @param title human-readable title
 * @param readOnlyHint the tool does not modify its environment (default false)
 * @param destructiveHint the tool may destroy data (default true)
 * @param idempotentHint repeated calls have no additional effect (default false)
 * @param openWorldHint the tool reaches an open world of external entities (default true)
 */
public record ToolAnnotations(String title, Boolean readOnlyHint, Boolean destructiveHint, Boolean idempotentHint,
        Boolean openWorldHint) {

    /** Whether the tool is read-only, applying the default. */
    public boolean readOnly() {
        return Boolean.TRUE.equals(readOnlyHint);
    }

    /** Whether the tool may be destructive, applying the default. */
    public boolean destructive() {
        return !Boolean.FALSE.equals(destructiveHint);
    }

    /** Whether the tool is idempotent, applying the default. */
    public boolean idempotent() {
        return Boolean.TRUE.equals(idempotentHint);
    }

    /** Whether the tool reaches an open world, applying the default. */
    public boolean openWorld() {
        return !Boolean.FALSE.equals(openWorldHint);
    }
}
