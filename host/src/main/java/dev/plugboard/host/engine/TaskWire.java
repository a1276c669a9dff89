package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.task.TaskRecord;

/** A task as MCP shows it, in the 2025-11-25 form and in the 2026-07-28 tasks extension's form. */
final class TaskWire {

    /** The {@code _meta} key that ties a 2025-11-25 message to its task. */
    static final String RELATED_TASK = "io.modelcontextprotocol/related-task";

    private TaskWire() {
    }

    /** The 2025-11-25 {@code Task}: {@code ttl} and {@code pollInterval} in milliseconds. */
    static ObjectNode legacy(ObjectMapper mapper, TaskRecord task) {
        ObjectNode node = common(mapper, task);
        node.put("ttl", task.ttl().toMillis());
        node.put("pollInterval", task.pollInterval().toMillis());
        return node;
    }

    /** The 2026-07-28 task fields: {@code ttlMs} and {@code pollIntervalMs}. */
    static ObjectNode current(ObjectMapper mapper, TaskRecord task) {
        ObjectNode node = common(mapper, task);
        node.put("ttlMs", task.ttl().toMillis());
        node.put("pollIntervalMs", task.pollInterval().toMillis());
        return node;
    }

    /** The 2026-07-28 {@code DetailedTask}: the task with its questions, result or error inline. */
    static ObjectNode detailed(ObjectMapper mapper, TaskRecord task) {
        ObjectNode node = current(mapper, task);
        switch (task.status()) {
            case INPUT_REQUIRED -> {
                ObjectNode requests = node.putObject("inputRequests");
                task.inputRequests().forEach(requests::set);
            }
            case COMPLETED -> {
                if (task.result() != null) {
                    node.set("result", task.result());
                }
            }
            case FAILED -> {
                if (task.error() != null) {
                    node.putObject("error").put("code", task.error().code()).put("message", task.error().message());
                } else if (task.result() != null) {
                    node.set("result", task.result());
                }
            }
            default -> {
            }
        }
        return node;
    }

    private static ObjectNode common(ObjectMapper mapper, TaskRecord task) {
        ObjectNode node = mapper.createObjectNode();
        node.put("taskId", task.id());
        node.put("status", task.status().wire());
        if (task.statusMessage() != null) {
            node.put("statusMessage", task.statusMessage());
        }
        node.put("createdAt", task.createdAt().toString());
        node.put("lastUpdatedAt", task.lastUpdatedAt().toString());
        return node;
    }
}
