package dev.plugboard.host.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.CallerIdentity;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tasks of this node, for every front door: creates them within the limits, records what their
 * tools report, parks a task that waits for the client's answers, cancels, tells listeners of every
 * change, and forgets tasks once their time to live has passed.
 *
 * <p>Tasks are owned by the principal that started them: a caller sees and cancels only its own,
 * a caller with the {@code admin} role all of them. Another caller's task is reported as not found.
 */
public final class Tasks implements AutoCloseable {

    /** The role that sees every task. */
    public static final String ADMIN_ROLE = "admin";

    private static final Logger LOG = Logger.getLogger(Tasks.class.getName());
    private static final SecureRandom IDS = new SecureRandom();

    private final TaskStore store;
    private final TaskLimits limits;
    private final Clock clock;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final List<Consumer<TaskRecord>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sweeper;
    /** Callers waiting for the end of tasks that run on other nodes. */
    private final Map<String, List<CompletableFuture<TaskRecord>>> endingElsewhere = new ConcurrentHashMap<>();

    /**
     * @param store where task state lives
     * @param limits the bounds
     * @param clock the time
     * @param sweepEvery how often expired tasks are forgotten
     */
    public Tasks(TaskStore store, TaskLimits limits, Clock clock, Duration sweepEvery) {
        this.store = store;
        this.limits = limits;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plugboard-task-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, sweepEvery.toMillis(), sweepEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        store.onChangedElsewhere(this::changedElsewhere);
    }

    /**
     * A task changed by another node (a shared store): when it ended there (cancelled, say) while its
     * call runs here, the call is stopped; listeners and callers waiting for its end are told.
     */
    private void changedElsewhere(TaskRecord task) {
        if (task.status().terminal()) {
            Running r = running.remove(task.id());
            if (r != null) {
                r.ended.complete(task);
                if (r.context != null) {
                    r.context.cancel(task.statusMessage() == null ? "the task ended on another node"
                            : task.statusMessage());
                }
            }
        }
        tell(task);
    }

    /** The bounds. */
    public TaskLimits limits() {
        return limits;
    }

    /** A task running in this node: its call, and the answers it waits for. */
    private static final class Running {
        final CompletableFuture<TaskRecord> ended = new CompletableFuture<>();
        final Map<String, JsonNode> answers = new HashMap<>();
        volatile CallContext context;
    }

    /**
     * Creates a task in state {@code working}; once this returns, {@link #get} finds it.
     *
     * @param owner who starts it
     * @param tool the tool it runs
     * @param revision the MCP revision whose rules shape it
     * @param ttl how long to keep it as the client asked, or null for the default
     * @throws TaskException when a limit is reached
     */
    public TaskRecord create(CallerIdentity owner, String tool, String revision, Duration ttl) {
        long total = running.size();
        if (total >= limits.maxTotal()) {
            throw new TaskException(TaskException.Reason.LIMIT, "Too many tasks are running (at most "
                    + limits.maxTotal() + "); try again when one has finished");
        }
        long mine = store.all().stream().filter(t -> !t.status().terminal() && t.owner().equals(owner.principal()))
                .count();
        if (mine >= limits.maxPerCaller()) {
            throw new TaskException(TaskException.Reason.LIMIT, "You have " + mine + " unfinished tasks, the most "
                    + "allowed; wait for one to finish or cancel one");
        }
        Duration kept = ttl == null || ttl.isNegative() || ttl.isZero() ? limits.defaultTtl()
                : ttl.compareTo(limits.maxTtl()) > 0 ? limits.maxTtl() : ttl;
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        byte[] random = new byte[18];
        IDS.nextBytes(random);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        TaskRecord task = new TaskRecord(id, owner.principal(), tool, revision, TaskStatus.WORKING, null, now, now,
                kept, limits.pollInterval(), null, null, null, null, Map.of());
        running.put(id, new Running());
        store.create(task);
        tell(task);
        return task;
    }

    /** Connects a created task to the call that runs it, so that cancelling it interrupts the call. */
    public void attach(String id, CallContext context) {
        Running r = running.get(id);
        if (r != null) {
            r.context = context;
            TaskRecord now = store.get(id).orElse(null);
            if (now != null && now.status() == TaskStatus.CANCELLED) {
                context.cancel("the task was cancelled");
            }
        }
    }

    /** Records the progress a running task's tool reported. */
    public void progress(String id, double progress, Double total, String message) {
        change(id, t -> t.status().terminal() ? t : t.progressed(progress, total, message, now()));
    }

    /**
     * Parks the calling thread (the task's tool) until the client has answered every question.
     *
     * @param questions the questions in wire form, by key
     * @return the answers by key, in wire form
     * @throws InterruptedException when the task is cancelled while waiting
     */
    public Map<String, JsonNode> awaitAnswers(String id, Map<String, JsonNode> questions) throws InterruptedException {
        Running r = running.get(id);
        if (r == null) {
            throw new IllegalStateException("the task is not running in this node");
        }
        synchronized (r) {
            questions.keySet().forEach(r.answers::remove);
            change(id, t -> t.status().terminal() ? t : t.asking(questions, now()));
            try {
                while (!r.answers.keySet().containsAll(questions.keySet())) {
                    r.wait();
                }
                Map<String, JsonNode> answers = new LinkedHashMap<>();
                questions.keySet().forEach(k -> answers.put(k, r.answers.remove(k)));
                return answers;
            } finally {
                change(id, t -> t.status() == TaskStatus.INPUT_REQUIRED ? t.asking(Map.of(), now()) : t);
            }
        }
    }

    /**
     * Delivers the client's answers to a task; answers to no pending question are ignored.
     *
     * @throws TaskException when there is no such task for the caller
     */
    public void answer(CallerIdentity caller, String id, Map<String, JsonNode> answers) {
        get(caller, id);
        Running r = running.get(id);
        if (r == null) {
            return;
        }
        synchronized (r) {
            TaskRecord task = store.get(id).orElse(null);
            if (task == null || task.status() != TaskStatus.INPUT_REQUIRED) {
                return;
            }
            Map<String, JsonNode> pending = new LinkedHashMap<>(task.inputRequests());
            answers.forEach((k, v) -> {
                if (pending.remove(k) != null) {
                    r.answers.put(k, v);
                }
            });
            change(id, t -> t.status() == TaskStatus.INPUT_REQUIRED ? t.asking(pending, now()) : t);
            r.notifyAll();
        }
    }

    /**
     * Ends a task with its tool's result.
     *
     * @param result the {@code CallToolResult}
     * @param failedWhenError whether a tool error fails the task (2025-11-25) rather than completing it
     */
    public void complete(String id, JsonNode result, boolean failedWhenError) {
        int size = result.toString().length();
        if (size > limits.maxResultBytes()) {
            fail(id, -32603, "The tool's result is " + size + " bytes, more than the " + limits.maxResultBytes()
                    + " a task may keep");
            return;
        }
        boolean error = result.path("isError").asBoolean(false);
        end(id, t -> t.ended(error && failedWhenError ? TaskStatus.FAILED : TaskStatus.COMPLETED, result, null,
                error ? "The tool reported an error" : null, now()));
    }

    /** Ends a task whose tool did not answer. */
    public void fail(String id, int code, String message) {
        end(id, t -> t.ended(TaskStatus.FAILED, null, new TaskRecord.TaskError(code, message), message, now()));
    }

    /**
     * Cancels a task: marks it cancelled and interrupts its call. A task that has ended stays as it is.
     *
     * @return the task after the request
     * @throws TaskException when there is no such task for the caller
     */
    public TaskRecord cancel(CallerIdentity caller, String id) {
        TaskRecord task = get(caller, id);
        if (task.status().terminal()) {
            return task;
        }
        String reason = "Cancelled by " + (caller.principal().equals(task.owner()) ? "its owner" : caller.principal());
        Running r = running.get(id);
        end(id, t -> t.ended(TaskStatus.CANCELLED, null, null, reason, now()));
        if (r != null && r.context != null) {
            r.context.cancel(reason);
        }
        return store.get(id).orElse(task);
    }

    /**
     * The task with this id, as the caller may see it.
     *
     * @throws TaskException (not found) when there is none or it is another caller's
     */
    public TaskRecord get(CallerIdentity caller, String id) {
        return store.get(id).filter(t -> visible(caller, t)).orElseThrow(() -> new TaskException(
                TaskException.Reason.NOT_FOUND, "Unknown task: " + id));
    }

    /** The caller's tasks (every task for an admin), newest first, optionally by status and tool. */
    public List<TaskRecord> list(CallerIdentity caller, TaskStatus status, String tool) {
        return store.all().stream().filter(t -> visible(caller, t))
                .filter(t -> status == null || t.status() == status)
                .filter(t -> tool == null || t.tool().equals(tool)).toList();
    }

    /** Completes with the task once it has ended (at once when it has). */
    public CompletableFuture<TaskRecord> whenEnded(CallerIdentity caller, String id) {
        TaskRecord task = get(caller, id);
        if (task.status().terminal()) {
            return CompletableFuture.completedFuture(task);
        }
        Running r = running.get(id);
        if (r == null) {
            return store.shared() ? endingElsewhere(id, task) : CompletableFuture.completedFuture(task);
        }
        return r.ended.thenApply(t -> t);
    }

    /** The end of a task running on another node, as the shared store tells it. */
    private CompletableFuture<TaskRecord> endingElsewhere(String id, TaskRecord seen) {
        CompletableFuture<TaskRecord> ended = new CompletableFuture<>();
        endingElsewhere.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(ended);
        // read again once listening, so that an end told in between is not missed
        TaskRecord now = store.get(id).orElse(null);
        if (now == null || now.status().terminal()) {
            ended.complete(now == null ? seen : now);
        }
        ended.whenComplete((t, e) -> endingElsewhere.computeIfPresent(id, (k, list) -> {
            list.remove(ended);
            return list.isEmpty() ? null : list;
        }));
        return ended;
    }

    /** Tells the listener of every change to every task until the handle is closed. */
    public AutoCloseable listen(Consumer<TaskRecord> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Whether the caller may see the task. */
    public static boolean visible(CallerIdentity caller, TaskRecord task) {
        return task.owner().equals(caller.principal()) || caller.roles().contains(ADMIN_ROLE);
    }

    /**
     * Counts of the tasks the caller can see.
     *
     * @param byStatus how many tasks are in each status
     * @param byTool per tool: how many tasks, and the mean and longest run of the ended ones in ms
     */
    public record Stats(Map<String, Long> byStatus, Map<String, ToolStats> byTool) {
    }

    /**
     * The tasks of one tool.
     *
     * @param tasks how many
     * @param ended how many have ended
     * @param meanMillis the mean run of the ended ones
     * @param maxMillis the longest run of the ended ones
     */
    public record ToolStats(long tasks, long ended, long meanMillis, long maxMillis) {
    }

    /** The statistics over the tasks the caller can see. */
    public Stats stats(CallerIdentity caller) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (TaskStatus s : TaskStatus.values()) {
            byStatus.put(s.wire(), 0L);
        }
        Map<String, List<TaskRecord>> tools = new java.util.TreeMap<>();
        for (TaskRecord t : list(caller, null, null)) {
            byStatus.merge(t.status().wire(), 1L, Long::sum);
            tools.computeIfAbsent(t.tool(), k -> new ArrayList<>()).add(t);
        }
        Map<String, ToolStats> byTool = new LinkedHashMap<>();
        tools.forEach((tool, list) -> {
            List<Long> runs = list.stream().filter(t -> t.status().terminal())
                    .map(t -> Duration.between(t.createdAt(), t.lastUpdatedAt()).toMillis()).toList();
            byTool.put(tool, new ToolStats(list.size(), runs.size(),
                    runs.isEmpty() ? 0 : runs.stream().mapToLong(Long::longValue).sum() / runs.size(),
                    runs.stream().mapToLong(Long::longValue).max().orElse(0)));
        });
        return new Stats(byStatus, byTool);
    }

    /** Forgets the tasks whose time to live has passed, cancelling those still running. */
    public void sweep() {
        Instant now = clock.instant();
        for (TaskRecord t : store.all()) {
            if (now.isAfter(t.expiresAt())) {
                if (!t.status().terminal()) {
                    Running r = running.get(t.id());
                    end(t.id(), x -> x.ended(TaskStatus.CANCELLED, null, null, "The task's time to live ran out", now));
                    if (r != null && r.context != null) {
                        r.context.cancel("the task's time to live ran out");
                    }
                }
                store.remove(t.id());
                running.remove(t.id());
            }
        }
    }

    /** The ids of the tasks running in this node. */
    public Set<String> runningIds() {
        return Set.copyOf(running.keySet());
    }

    private void end(String id, UnaryOperator<TaskRecord> ending) {
        Optional<TaskRecord> after = change(id, t -> t.status().terminal() ? t : ending.apply(t));
        Running r = running.get(id);
        if (r != null && after.isPresent() && after.get().status().terminal()) {
            running.remove(id, r);
            r.ended.complete(after.get());
        }
    }

    private Optional<TaskRecord> change(String id, UnaryOperator<TaskRecord> change) {
        TaskRecord[] before = new TaskRecord[1];
        Optional<TaskRecord> after = store.update(id, t -> {
            before[0] = t;
            return change.apply(t);
        });
        after.filter(a -> a != before[0]).ifPresent(this::tell);
        return after;
    }

    private void tell(TaskRecord task) {
        if (task.status().terminal()) {
            List<CompletableFuture<TaskRecord>> waiting = endingElsewhere.get(task.id());
            if (waiting != null) {
                waiting.forEach(f -> f.complete(task));
            }
        }
        for (Consumer<TaskRecord> l : listeners) {
            try {
                l.accept(task);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "A task listener failed", e);
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (String id : runningIds()) {
            Running r = running.get(id);
            end(id, t -> t.ended(TaskStatus.FAILED, null, new TaskRecord.TaskError(-32603, "The server stopped"),
                    "The server stopped", now()));
            if (r != null && r.context != null) {
                r.context.cancel("the server is stopping");
            }
        }
    }
}
