package dev.plugboard.host.door;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * An operation under way.
 *
 * @param result completes with the result object (as MCP would send it, without the protocol's own
 *     {@code _meta}), or fails with an {@link OperationException}
 * @param cancel cancels the operation (the caller went away); the result then fails with
 *     {@link OperationException.Kind#CANCELLED}. Safe to call at any time, more than once.
 */
public record RunningCall(CompletableFuture<ObjectNode> result, Runnable cancel) {
}
