package dev.plugboard.host.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task as the store keeps it: an immutable snapshot, replaced on every change.
 *
 * @param id the task's id, unguessable
 * @param owner the principal that started it
 * @param tool the tool it runs
 * @param revision the MCP revision whose rules shape it ({@code 2025-11-25} or {@code 2026-07-28};
 *        REST and GraphQL tasks use the newest)
 * @param status where it is
 * @param statusMessage a human-readable word on the status, or null
 * @param createdAt when it was created
 * @param lastUpdatedAt when it last changed
 * @param ttl how long it is kept from its creation
 * @param pollInterval how often clients should poll
 * @param progress the last progress reported, or null
 * @param total the total the progress counts towards, or null
 * @param result the tool's result once completed (a {@code CallToolResult}), or null
 * @param error why it failed, or null
 * @param inputRequests the questions waiting for the client's answers, by key (wire form)
 */
public record TaskRecord(String id, String owner, String tool, String revision, TaskStatus status,
        String statusMessage, Instant createdAt, Instant lastUpdatedAt, Duration ttl, Duration pollInterval,
        Double progress, Double total, JsonNode result, TaskError error, Map<String, JsonNode> inputRequests) {

    /** Copies the input requests. */
    public TaskRecord {
        inputRequests = Collections.unmodifiableMap(new LinkedHashMap<>(inputRequests));
    }

    /**
     * A JSON-RPC error that failed a task.
     *
     * @param code the JSON-RPC error code
     * @param message what went wrong
     */
    public record TaskError(int code, String message) {
    }

    /** When the store may forget it. */
    public Instant expiresAt() {
        return createdAt.plus(ttl);
    }

    /** This task with another status and message, updated now. */
    public TaskRecord with(TaskStatus newStatus, String message, Instant now) {
        return new TaskRecord(id, owner, tool, revision, newStatus, message, createdAt, now, ttl, pollInterval,
                progress, total, result, error, newStatus == TaskStatus.INPUT_REQUIRED ? inputRequests : Map.of());
    }

    /** This task waiting for answers to the given questions. */
    public TaskRecord asking(Map<String, JsonNode> questions, Instant now) {
        return new TaskRecord(id, owner, tool, revision, questions.isEmpty() ? TaskStatus.WORKING
                : TaskStatus.INPUT_REQUIRED, statusMessage, createdAt, now, ttl, pollInterval, progress, total, result,
                error, questions);
    }

    /** This task with new progress. */
    public TaskRecord progressed(double value, Double newTotal, String message, Instant now) {
        return new TaskRecord(id, owner, tool, revision, status, message == null ? statusMessage : message, createdAt,
                now, ttl, pollInterval, value, newTotal, result, error, inputRequests);
    }

    /** This task ended with a result. */
    public TaskRecord ended(TaskStatus newStatus, JsonNode newResult, TaskError newError, String message, Instant now) {
        return new TaskRecord(id, owner, tool, revision, newStatus, message, createdAt, now, ttl, pollInterval,
                progress, total, newResult, newError, Map.of());
    }
}
