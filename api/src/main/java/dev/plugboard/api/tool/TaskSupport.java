package dev.plugboard.api.tool;

/**
 * Whether a tool's calls may run as tasks: in the background, the client polling for their status
 * and result (MCP tasks), or through the REST and GraphQL task APIs.
 *
 * @since 1.3
 */
public enum TaskSupport {

    /** Calls always answer in the request (the default). */
    FORBIDDEN,

    /** A client that can take a task gets one; any other client gets the answer in the request. */
    OPTIONAL,

    /** Calls run only as tasks; a client that cannot take a task is told it lacks the capability. */
    REQUIRED
}
