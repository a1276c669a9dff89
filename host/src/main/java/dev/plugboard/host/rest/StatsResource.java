package dev.plugboard.host.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.task.Tasks;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Statistics over the caller's tasks. */
@Path("/api/v1/stats")
public final class StatsResource {

    private final RestContext rest;

    /** Created by Jersey for each request. */
    @Inject
    StatsResource(RestContext rest) {
        this.rest = rest;
    }

    /** Counts by status and tool, with run durations. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(tag = "tasks", summary = "Task statistics", response = "TaskStats", description = "How many of the"
            + " caller's tasks are in each status, and per tool how many ran, how many ended, and the mean and"
            + " longest run of the ended ones in milliseconds.")
    public ObjectNode stats() {
        Tasks.Stats stats = rest.operations().tasks().stats(Operations.doorCaller());
        ObjectNode out = rest.mapper().createObjectNode();
        ObjectNode byStatus = out.putObject("byStatus");
        stats.byStatus().forEach(byStatus::put);
        ObjectNode byTool = out.putObject("byTool");
        stats.byTool().forEach((tool, s) -> byTool.putObject(tool).put("tasks", s.tasks()).put("ended", s.ended())
                .put("meanMillis", s.meanMillis()).put("maxMillis", s.maxMillis()));
        return out;
    }
}
