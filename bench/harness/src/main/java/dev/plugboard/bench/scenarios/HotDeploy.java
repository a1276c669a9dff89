package dev.plugboard.bench.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.bench.mcp.CheckFailed;
import dev.plugboard.bench.mcp.EventStream;
import dev.plugboard.bench.mcp.McpClient;
import dev.plugboard.bench.report.Latencies;
import dev.plugboard.bench.servers.Servers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drops, replaces and deletes a tool bundle in the deploy folder of a running Plugboard while a
 * client is connected, and times each change from the moment the file changes to the client's
 * {@code notifications/tools/list_changed} and to the change being visible in a call (the new tool
 * answering, the new version answering, the removed tool refused).
 */
public final class HotDeploy {

    /**
     * Timings of one kind of change.
     *
     * @param toListChanged file change to the notification on the client's stream
     * @param toCallable file change to the call that shows the change
     */
    public record Change(Latencies toListChanged, Latencies toCallable) {
    }

    /**
     * The timings of every kind of change.
     *
     * @param cycles how many drop, replace, delete cycles
     * @param drop a new bundle
     * @param replace a new version over the old
     * @param delete the bundle removed
     */
    public record Result(int cycles, Change drop, Change replace, Change delete) {
    }

    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** After a change is visible, notifications that trail it are awaited this long before the next. */
    private static final Duration QUIET = Duration.ofMillis(300);

    private final Servers servers;
    private final ObjectMapper mapper;

    /**
     * @param servers starts Plugboard
     * @param mapper reads and writes JSON
     */
    public HotDeploy(Servers servers, ObjectMapper mapper) {
        this.servers = servers;
        this.mapper = mapper;
    }

    /** Runs the cycles against a Plugboard that starts with only the echo bundle. */
    public Result run(int cycles) throws IOException, InterruptedException, CheckFailed {
        Path data = servers.layout().work().resolve("hot-deploy/data");
        try (Servers.Running pb = servers.plugboard("hot-deploy", List.of(servers.layout().echoBundle()), data,
                Map.of());
                McpClient client = McpClient.create(pb.mcp(), McpClient.Era.SESSIONS, mapper).open()) {
            Path deploy = servers.layout().work().resolve("hot-deploy/bundles");
            BlockingQueue<Long> notices = new LinkedBlockingQueue<>();
            // Open (the server has answered the GET) before the first change, so no notice is missed.
            EventStream events = client.listen((message, at) -> {
                if ("notifications/tools/list_changed".equals(message.path("method").asText())) {
                    notices.add(at);
                }
            });
            try (events) {
                long[][] drop = new long[2][cycles];
                long[][] replace = new long[2][cycles];
                long[][] delete = new long[2][cycles];
                Path target = deploy.resolve("hello.jar");
                for (int i = 0; i < cycles; i++) {
                    Path v1 = stage(servers.layout().helloV1(), target);
                    time(drop, i, notices, () -> place(v1, target), () -> greets(client, "(v1)"));
                    Path v2 = stage(servers.layout().helloV2(), target);
                    time(replace, i, notices, () -> place(v2, target), () -> greets(client, "(v2)"));
                    time(delete, i, notices, () -> Files.delete(target), () -> refused(client));
                }
                return new Result(cycles, change(drop), change(replace), change(delete));
            }
        }
    }

    /** A file operation. */
    @FunctionalInterface
    private interface FileChange {
        void apply() throws IOException;
    }

    /** Whether the change is visible to a call yet. */
    @FunctionalInterface
    private interface Visible {
        boolean check() throws IOException, InterruptedException;
    }

    private static void time(long[][] into, int i, BlockingQueue<Long> notices, FileChange change, Visible visible)
            throws IOException, InterruptedException {
        notices.clear();
        long changed = System.nanoTime();
        change.apply();
        Long noticed = notices.poll(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        if (noticed == null) {
            throw new IOException("no tools/list_changed within " + LIMIT);
        }
        long deadline = changed + LIMIT.toNanos();
        while (!visible.check()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the change was not visible to calls within " + LIMIT);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        long callable = System.nanoTime();
        into[0][i] = noticed - changed;
        into[1][i] = callable - changed;
        while (notices.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS) != null) {
            // trailing notifications of the same change
        }
    }

    /** Copies a jar beside the target under a name the deployer ignores, ready to be renamed. */
    private static Path stage(Path jar, Path target) throws IOException {
        Path aside = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(jar, aside, StandardCopyOption.REPLACE_EXISTING);
        return aside;
    }

    /** Renames a staged jar into place in one step, as a deploy tool would. */
    private static void place(Path staged, Path target) throws IOException {
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private boolean greets(McpClient client, String version) throws IOException, InterruptedException {
        ObjectNode params = mapper.createObjectNode().put("name", "hello");
        params.putObject("arguments").put("name", "Ann");
        try {
            JsonNode result = client.call("tools/call", params, "hello");
            return result.path("content").path(0).path("text").asText().endsWith(version);
        } catch (CheckFailed notYet) {
            return false;
        }
    }

    private boolean refused(McpClient client) throws IOException, InterruptedException {
        ObjectNode params = mapper.createObjectNode().put("name", "hello");
        params.putObject("arguments").put("name", "Ann");
        try {
            client.call("tools/call", params, "hello");
            return false;
        } catch (CheckFailed unknown) {
            return true;
        }
    }

    private static Change change(long[][] timings) {
        return new Change(Latencies.ofNanos(timings[0]), Latencies.ofNanos(timings[1]));
    }
}
