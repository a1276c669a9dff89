package dev.plugboard.plugins.proxy;

import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.upstream.UpstreamConnection;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An upstream (2025-11-25, announcing list changes of tools, resources and prompts) whose listings of
 * the methods named at construction are answered when the test says; every other listing is answered
 * at once, empty.
 */
final class HeldListings implements UpstreamConnection {

    /** The held listings, in the order they were asked. */
    final BlockingQueue<CompletableFuture<String>> held = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> asked = new LinkedBlockingQueue<>();
    private final Set<String> heldMethods;

    HeldListings(String... heldMethods) {
        this.heldMethods = Set.of(heldMethods);
    }

    /** The next held listing, waiting for it to be asked. */
    CompletableFuture<String> nextHeld() throws InterruptedException {
        return held.poll(30, TimeUnit.SECONDS);
    }

    /** Waits until the upstream is asked for {@code method}; false when it is not within 30 s. */
    boolean awaitAsked(String method) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String next; (next = asked.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS)) != null;) {
            if (next.equals(method)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String protocolVersion() {
        return "2025-11-25";
    }

    @Override
    public String initializeResult() {
        return "{\"protocolVersion\": \"2025-11-25\", \"capabilities\": {\"tools\": {\"listChanged\": true},"
                + " \"resources\": {\"listChanged\": true}, \"prompts\": {\"listChanged\": true}},"
                + " \"serverInfo\": {\"name\": \"fake\", \"version\": \"1\"}}";
    }

    @Override
    public CompletableFuture<String> request(String method, String params, RequestContext context) {
        asked.add(method);
        if (heldMethods.contains(method)) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            held.add(answer);
            return answer;
        }
        return CompletableFuture.completedFuture(switch (method) {
            case "tools/list" -> "{\"tools\": []}";
            case "resources/list" -> "{\"resources\": []}";
            case "resources/templates/list" -> "{\"resourceTemplates\": []}";
            case "prompts/list" -> "{\"prompts\": []}";
            default -> "{}";
        });
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
