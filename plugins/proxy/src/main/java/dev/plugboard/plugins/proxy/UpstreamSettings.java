package dev.plugboard.plugins.proxy;

import dev.plugboard.api.upstream.UpstreamTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream server as {@code mcp-servers.json} declares it. Equal settings mean nothing changed,
 * so an edit of the file restarts only the upstreams whose settings differ.
 *
 * @param name the key under {@code mcpServers}
 * @param target where the server is
 * @param prefix what its tools' names start with (before the separator)
 * @param include globs of upstream tool names to offer; empty offers all
 * @param exclude globs of upstream tool names never to offer
 * @param enabled false to keep the entry without running it
 * @param connectTimeout how long starting and the handshake may take
 * @param callTimeout how long one call may take
 * @param breaker when the circuit breaker opens and how it recovers
 * @param retry how read-only calls are tried again
 * @param maxConcurrentCalls the bulkhead: calls in flight to this upstream at once
 * @param protocolVersion the revision to speak, or null to negotiate
 * @param pingInterval how often the upstream is pinged
 * @param perTool whether each tool also has a circuit breaker of its own, with {@code breaker}'s settings
 * @param toolBreakers per upstream tool name, the settings of that tool's own breaker
 * @param requiredRole the role a caller must hold to see and use its entries, or null for none
 */
record UpstreamSettings(String name, UpstreamTarget target, String prefix, List<String> include, List<String> exclude,
        boolean enabled, Duration connectTimeout, Duration callTimeout, Breaker breaker, Retry retry,
        int maxConcurrentCalls, String protocolVersion, Duration pingInterval, boolean perTool,
        Map<String, Breaker> toolBreakers, String requiredRole) {

    UpstreamSettings {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        toolBreakers = Map.copyOf(toolBreakers);
    }

    /** The settings of a tool's own breaker, or null when it has none (only the upstream's). */
    Breaker toolBreaker(String tool) {
        Breaker own = toolBreakers.get(tool);
        return own != null ? own : perTool ? breaker : null;
    }

    /**
     * @param failureRateThreshold percent of failed calls in the window that opens the breaker
     * @param slowCallRateThreshold percent of slow calls in the window that opens the breaker
     * @param slowCall how long a call must take to count as slow
     * @param windowSize how many recent calls are counted
     * @param minimumCalls how many calls the window needs before the rates count
     * @param openFor how long the breaker stays open before it lets probes through
     * @param halfOpenCalls how many probes decide whether it closes again
     */
    record Breaker(float failureRateThreshold, float slowCallRateThreshold, Duration slowCall, int windowSize,
            int minimumCalls, Duration openFor, int halfOpenCalls) {
    }

    /**
     * @param maxAttempts how many times a read-only call is tried in all (1: never again)
     * @param firstWait the first wait between attempts, doubled each time, with jitter
     */
    record Retry(int maxAttempts, Duration firstWait) {
    }

    /** The name a client calls an upstream tool by. */
    String federated(String separator, String tool) {
        return prefix + separator + tool;
    }

    /** Whether an upstream tool of that name is offered. */
    boolean offers(String tool) {
        return (include.isEmpty() || include.stream().anyMatch(g -> Glob.matches(g, tool)))
                && exclude.stream().noneMatch(g -> Glob.matches(g, tool));
    }
}
