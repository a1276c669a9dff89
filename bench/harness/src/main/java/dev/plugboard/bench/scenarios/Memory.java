package dev.plugboard.bench.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.bench.mcp.CheckFailed;
import dev.plugboard.bench.mcp.McpClient;
import dev.plugboard.bench.servers.Servers;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Resident memory ({@code VmRSS}) of a server once it has started and answered one call and then sat
 * idle for a few seconds, and again with 1,000 sessions open (initialized, not ended).
 */
public final class Memory {

    /**
     * What one server used.
     *
     * @param server the server and its bundles
     * @param idleMib resident memory when idle, in MiB
     * @param sessions how many sessions were opened
     * @param withSessionsMib resident memory with the sessions open, in MiB
     * @param perSessionKib the growth per session, in KiB
     */
    public record Result(String server, double idleMib, int sessions, double withSessionsMib, double perSessionKib) {
    }

    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final ObjectMapper mapper;

    /** @param mapper reads and writes JSON */
    public Memory(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Measures a started server. */
    public Result measure(String label, Servers.Running server, int sessions)
            throws IOException, InterruptedException {
        try (McpClient first = McpClient.create(server.mcp(), McpClient.Era.SESSIONS, mapper).open()) {
            first.callEcho("warm");
        } catch (CheckFailed e) {
            throw new IOException(label + " did not answer echo: " + e.getMessage(), e);
        }
        settle();
        long idle = server.process().residentKib();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<McpClient> open = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> opening = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                opening.add(pool.submit(() -> {
                    open.add(new McpClient(http, server.mcp(), McpClient.Era.SESSIONS, mapper).open());
                    return null;
                }));
            }
            for (Future<?> f : opening) {
                f.get(60, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(label + " failed to open " + sessions + " sessions: " + e.getMessage(), e);
        }
        settle();
        long loaded = server.process().residentKib();
        open.forEach(McpClient::close);
        return new Result(label, idle / 1024.0, sessions, loaded / 1024.0, (loaded - idle) / (double) sessions);
    }

    private static void settle() {
        LockSupport.parkNanos(SETTLE.toNanos());
    }
}
