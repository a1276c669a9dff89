package dev.plugboard.host.catalog;

/** The kinds of catalogue entries, as far as change notifications go. */
public enum Kind {
    /** Tools. */
    TOOLS,
    /** Resources and resource templates. */
    RESOURCES,
    /** Prompts. */
    PROMPTS
}
