package dev.plugboard.host.graphql;

/**
 * Bounds on what one GraphQL client may ask for.
 *
 * @param maxDepth how deep a document may nest selections
 * @param maxComplexity how many fields a document may select, a list field counting once per item
 *     its {@code limit} argument asks for (a page for a paged field)
 * @param maxSubscriptionsPerConnection how many operations one WebSocket may run at once
 * @param pageSize how many items a page of a paged field holds (counted by the complexity limit)
 */
record GraphqlLimits(int maxDepth, int maxComplexity, int maxSubscriptionsPerConnection, int pageSize) {

    /** The limits the server runs with, for a page size. */
    static GraphqlLimits of(int pageSize) {
        return new GraphqlLimits(15, Math.max(2000, 10 * pageSize), 64, pageSize);
    }
}
