package dev.plugboard.host.graphql;

/** The {@code extensions.code} of a GraphQL error: what kind of mistake or failure it is. */
enum ErrorCode {
    /** The document is not GraphQL. */
    GRAPHQL_PARSE_FAILED,
    /** The document asks for something the schema does not have, or breaks a validation rule. */
    GRAPHQL_VALIDATION_FAILED,
    /** A variable or an argument has the wrong type or value. */
    BAD_USER_INPUT,
    /** The document nests deeper than the limit. */
    QUERY_TOO_DEEP,
    /** The document asks for more fields than the complexity limit. */
    QUERY_TOO_COMPLEX,
    /** No tool, prompt, resource, module or config by that name. */
    NOT_FOUND,
    /** The operation needs the admin credential and none (or a wrong one) was sent. */
    UNAUTHENTICATED,
    /** The credential does not allow the operation. */
    FORBIDDEN,
    /** A concurrency limit is reached, or the entry is being replaced; try again shortly. */
    BUSY,
    /** A rate limit of the credential or of the tool is reached; try again later. */
    RATE_LIMITED,
    /** The plugin's code ran past its time limit. */
    TIMEOUT,
    /** The plugin was removed or updated while the call ran. */
    GONE,
    /** The plugin's code failed (threw) and gave no result. */
    TOOL_FAILED,
    /** The call was cancelled. */
    CANCELLED,
    /** The entry needs input from the client (elicitation, sampling) that only MCP can give. */
    INPUT_REQUIRED,
    /** The feature needs a plugin that does not run (search without the search bundle). */
    UNAVAILABLE,
    /** The operation is not possible in the current state (a module is being replaced, a duplicate callId). */
    CONFLICT,
    /** A failure of the server; the log has the details. */
    INTERNAL
}
