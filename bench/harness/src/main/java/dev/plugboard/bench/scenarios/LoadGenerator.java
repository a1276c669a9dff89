package dev.plugboard.bench.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.bench.mcp.CheckFailed;
import dev.plugboard.bench.mcp.EchoCalls;
import dev.plugboard.bench.mcp.McpClient;
import dev.plugboard.bench.report.Latencies;
import dev.plugboard.bench.servers.ServerProcess;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Closed-loop load: each of N clients opens its own session, then calls the echo tool again as soon
 * as the previous call is answered, for a warm-up and then a measured period. Every answer is
 * checked; a wrong or failed answer is an error, never a success. Sessions are opened with a
 * general-purpose HTTP client; the calls go over one persistent connection per client
 * ({@link EchoCalls}). Latency is measured from just before the request is written to the end of the
 * whole response body.
 */
public final class LoadGenerator {

    /**
     * What one run measured.
     *
     * @param concurrency the number of clients
     * @param seconds the measured period
     * @param requests answers that passed their check in the measured period
     * @param errors failures in the measured period (HTTP, protocol or check)
     * @param throughput checked answers per second
     * @param latency percentiles of the checked answers
     * @param serverCores the server's CPU use in the measured period, in cores (of all its processes
     *     together, when the target is served by more than one)
     * @param clientCores the load generator's CPU use in the measured period, in cores
     * @param sampleErrors up to five error descriptions
     * @param serverCoresEach each server process's CPU use in the measured period, in cores, in the
     *     order they were given
     */
    public record Result(int concurrency, double seconds, long requests, long errors, double throughput,
            Latencies latency, double serverCores, double clientCores, List<String> sampleErrors,
            List<Double> serverCoresEach) {

        /** Server CPU time per checked answer, in microseconds (of all its processes together). */
        public double serverMicrosPerRequest() {
            return requests == 0 ? Double.NaN : serverCores * seconds * 1e6 / requests;
        }

        /** One server process's CPU time per checked answer, in microseconds. */
        public double serverMicrosPerRequest(int process) {
            return requests == 0 ? Double.NaN : serverCoresEach.get(process) * seconds * 1e6 / requests;
        }
    }

    private static final int SAMPLE_ERRORS = 5;

    private final ObjectMapper mapper;

    /** @param mapper reads and writes JSON */
    public LoadGenerator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Runs the load against one server.
     *
     * @param mcp the endpoint
     * @param era how clients frame requests
     * @param server the server's process (for its CPU time), or null
     * @param concurrency how many clients
     * @param warmup the unmeasured period first
     * @param measured the measured period
     */
    public Result run(URI mcp, McpClient.Era era, ServerProcess server, int concurrency, Duration warmup,
            Duration measured) throws IOException, InterruptedException {
        return run(mcp, era, null, servers(server), concurrency, warmup, measured, "echo");
    }

    /** The same load on an echo tool of another name (the same tool behind a proxy, say). */
    public Result run(URI mcp, McpClient.Era era, ServerProcess server, int concurrency, Duration warmup,
            Duration measured, String tool) throws IOException, InterruptedException {
        return run(mcp, era, null, servers(server), concurrency, warmup, measured, tool);
    }

    /**
     * The same load on a target that more than one process serves (a proxy and its upstream): the
     * result's server CPU is theirs together, and each one's too.
     *
     * @param servers the processes whose CPU time is counted
     */
    public Result run(URI mcp, McpClient.Era era, List<ServerProcess> servers, int concurrency, Duration warmup,
            Duration measured, String tool) throws IOException, InterruptedException {
        return run(mcp, era, null, List.copyOf(servers), concurrency, warmup, measured, tool);
    }

    private static List<ServerProcess> servers(ServerProcess server) {
        return server == null ? List.of() : List.of(server);
    }

    /**
     * Runs the load with clients that send an {@code Authorization} value on every request.
     *
     * @param authorization the value, or null for none
     */
    public Result run(URI mcp, McpClient.Era era, String authorization, ServerProcess server, int concurrency,
            Duration warmup, Duration measured) throws IOException, InterruptedException {
        return run(mcp, era, authorization, servers(server), concurrency, warmup, measured, "echo");
    }

    private Result run(URI mcp, McpClient.Era era, String authorization, List<ServerProcess> servers, int concurrency,
            Duration warmup, Duration measured, String tool) throws IOException, InterruptedException {
        List<McpClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < concurrency; i++) {
                clients.add(McpClient.create(mcp, era, mapper).withTool(tool).withAuthorization(authorization).open());
            }
        } catch (CheckFailed e) {
            clients.forEach(McpClient::close);
            throw new IOException("opening a session failed: " + e.getMessage(), e);
        }
        Worker[] workers = new Worker[concurrency];
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(concurrency);
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureTo = measureFrom + measured.toNanos();
        List<String> samples = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < concurrency; i++) {
            Worker worker = new Worker(i, clients.get(i).echoCalls(), measureFrom, measureTo, samples);
            workers[i] = worker;
            Thread.ofPlatform().name("load-" + i).start(() -> {
                try {
                    go.await();
                    worker.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        go.countDown();
        parkUntil(measureFrom);
        CpuSample before = CpuSample.take(servers);
        parkUntil(measureTo);
        CpuSample after = CpuSample.take(servers);
        done.await();
        clients.forEach(McpClient::close);

        long requests = 0;
        long errors = 0;
        int total = 0;
        for (Worker w : workers) {
            requests += w.count;
            errors += w.errors.get();
            total += w.count;
        }
        long[] all = new long[total];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.count);
            at += w.count;
        }
        double seconds = measured.toNanos() / 1e9;
        double wall = (after.nanos - before.nanos) / 1e9;
        List<Double> each = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            each.add((after.servers[i] - before.servers[i]) / wall);
        }
        return new Result(concurrency, seconds, requests, errors, requests / seconds, Latencies.ofNanos(all),
                each.stream().mapToDouble(Double::doubleValue).sum(), (after.client - before.client) / wall,
                List.copyOf(samples), List.copyOf(each));
    }

    private static void parkUntil(long nanoTime) {
        for (long now; (now = System.nanoTime()) < nanoTime;) {
            LockSupport.parkNanos(nanoTime - now);
        }
    }

    /** CPU seconds of each server process and of this process at one instant. */
    private record CpuSample(long nanos, double[] servers, double client) {
        static CpuSample take(List<ServerProcess> servers) throws IOException {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            double[] cpu = new double[servers.size()];
            for (int i = 0; i < cpu.length; i++) {
                cpu[i] = servers.get(i).cpuSeconds();
            }
            return new CpuSample(System.nanoTime(), cpu, os.getProcessCpuTime() / 1e9);
        }
    }

    /** One client's loop. */
    private static final class Worker {
        private final int index;
        private final EchoCalls calls;
        private final long measureFrom;
        private final long measureTo;
        private final List<String> samples;
        private long[] latencies = new long[4096];
        private int count;
        private final AtomicLong errors = new AtomicLong();

        Worker(int index, EchoCalls calls, long measureFrom, long measureTo, List<String> samples) {
            this.index = index;
            this.calls = calls;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            this.samples = samples;
        }

        void run() {
            try (calls) {
                loop();
            }
        }

        private void loop() {
            long sequence = 0;
            while (true) {
                long sent = System.nanoTime();
                if (sent >= measureTo) {
                    return;
                }
                String message = "client " + index + " message " + (sequence++) + " of the echo benchmark";
                try {
                    long latency = calls.call(message);
                    if (sent >= measureFrom) {
                        record(latency);
                    }
                } catch (IOException | CheckFailed | RuntimeException e) {
                    if (sent >= measureFrom) {
                        errors.incrementAndGet();
                        if (samples.size() < SAMPLE_ERRORS) {
                            samples.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                }
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }
}
