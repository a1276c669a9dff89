package dev.plugboard.api.client;

/** A capability a client may declare. */
public enum ClientCapability {
    /** The client can ask its user for input ({@code elicitation}). */
    ELICITATION,
    /** The client can run its model for the server ({@code sampling}). */
    SAMPLING,
    /** The client can list its roots ({@code roots}). */
    ROOTS
}
