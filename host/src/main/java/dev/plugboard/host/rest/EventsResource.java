package dev.plugboard.host.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.door.ChangeFeed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** {@code /api/v1/events}: the change feed as Server-Sent Events. */
@Path("/api/v1/events")
public final class EventsResource {

    private static final Logger LOG = Logger.getLogger(EventsResource.class.getName());

    private final RestContext rest;

    /** Created by Jersey for each request. */
    @Inject
    EventsResource(RestContext rest) {
        this.rest = rest;
    }

    /** Streams changes until the client goes away. */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @ApiDoc(tag = "events", summary = "Watch changes", description = "Server-Sent Events: `catalog.changed`"
            + " (`kinds`, `revision`) when tools, resources or prompts come or go, and module events"
            + " (`module.installed`, `module.updated`, `module.removed`, `module.failed`). Each event has an `id`;"
            + " reconnect with `Last-Event-ID` to get what was missed (a `resync` event says when that is no"
            + " longer kept). The stream opens with the comment `: watching after <id>`.")
    public void events(@HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink,
            @Context Sse sse) {
        long after = -1;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("Last-Event-ID must be the id of an event of this stream");
            }
        }
        LinkedBlockingQueue<ChangeFeed.Change> queue = new LinkedBlockingQueue<>();
        long from = after;
        Thread.ofVirtual().name("rest-events").start(() -> stream(from, queue, sink, sse));
    }

    private void stream(long after, LinkedBlockingQueue<ChangeFeed.Change> queue, SseEventSink sink, Sse sse) {
        AutoCloseable watching = null;
        try {
            long start = after >= 0 ? after : rest.feed().lastId();
            watching = rest.feed().watch(start, queue::add);
            sink.send(sse.newEventBuilder().comment("watching after " + start).build()).toCompletableFuture().join();
            while (!sink.isClosed()) {
                ChangeFeed.Change change = queue.poll(rest.keepAlive().toMillis(), TimeUnit.MILLISECONDS);
                OutboundSseEvent event = change == null ? sse.newEventBuilder().comment("keep-alive").build()
                        : sse.newEventBuilder().id(Long.toString(change.id())).name(change.type())
                                .data(json(change).toString()).build();
                sink.send(event).toCompletableFuture().join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.fine(() -> "An event stream ended: " + e);
        } finally {
            if (watching != null) {
                try {
                    watching.close();
                } catch (Exception e) {
                    LOG.fine(() -> "Closing an event stream failed: " + e);
                }
            }
            sink.close();
        }
    }

    private ObjectNode json(ChangeFeed.Change change) {
        ObjectNode node = rest.mapper().createObjectNode();
        node.put("id", change.id()).put("type", change.type()).put("at", change.at().toString());
        node.set("data", change.data());
        return node;
    }
}
