package dev.plugboard.host.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.containment.CallHealth;
import dev.plugboard.host.containment.PluginThreads;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.CallerIdentity;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InvocationsTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final Provider plugin = new Provider("com.example.a", "1.0.0", 7, 1, 0, false);
    private final Provider other = new Provider("com.example.b", "1.0.0", 8, 2, 0, false);
    private Invocations invocations;

    @AfterEach
    void end() {
        release.countDown();
        invocations.close();
    }

    private Invocations with(Duration timeout, int perPlugin, int maxStuck) {
        invocations = new Invocations(new CallLimits(timeout, perPlugin, 100, maxStuck, Duration.ZERO, 100),
                new PluginThreads());
        return invocations;
    }

    private static CallContext context() {
        return new CallContext(new CallerIdentity("alice", Set.of(), "test", "1", "s1"), null, dev.plugboard.host.protocol.MessageSink.NONE,
                () -> LogLevel.INFO, "tool");
    }

    /** Waits for the release, ignoring interrupts. */
    private String stubborn() {
        while (release.getCount() > 0) {
            try {
                release.await();
            } catch (InterruptedException e) {
                // ignored on purpose
            }
        }
        return "released";
    }

    private static PluginCallException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (PluginCallException) e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    private CallHealth health(long bundleId) {
        return invocations.health().stream().filter(h -> h.bundleId() == bundleId).findFirst().orElseThrow();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Test
    void callsRunOnPlatformThreadsOfTheirPluginsThreadGroup() throws Exception {
        with(Duration.ofSeconds(10), 4, 4);
        Thread thread = invocations.run(plugin, "Tool 't'", context(), Thread::currentThread).get(10, TimeUnit.SECONDS);
        assertThat(thread.isVirtual()).isFalse();
        assertThat(thread.getThreadGroup().getName()).contains("com.example.a").contains("#7");
    }

    @Test
    void aTimedOutCallIsAnsweredAtOnceButKeepsItsSlotsUntilItsThreadEnds() throws Exception {
        with(Duration.ofMillis(50), 4, 1);
        Semaphore toolPermits = new Semaphore(1);
        CompletableFuture<String> call = invocations.run(plugin, "Tool 'stubborn'", null, toolPermits, context(),
                this::stubborn);
        PluginCallException timedOut = failure(call);
        assertThat(timedOut.reason()).isEqualTo(PluginCallException.Reason.TIMED_OUT);
        assertThat(timedOut.getMessage()).contains("Tool 'stubborn' did not finish within 50 ms");
        assertThat(toolPermits.availablePermits()).isZero();

        await(() -> health(7).stuck() == 1);
        assertThat(health(7).degraded()).isTrue();
        PluginCallException refused = failure(invocations.run(plugin, "Tool 'other'", context(), () -> "x"));
        assertThat(refused.reason()).isEqualTo(PluginCallException.Reason.DEGRADED);
        assertThat(refused.getMessage()).contains("com.example.a").contains("degraded");
        assertThat(invocations.run(other, "Tool 'b'", context(), () -> "b").get(10, TimeUnit.SECONDS)).isEqualTo("b");

        release.countDown();
        await(() -> toolPermits.availablePermits() == 1);
        await(() -> health(7).stuck() == 0 && health(7).running() == 0 && !health(7).degraded());
        assertThat(invocations.run(plugin, "Tool 'other'", context(), () -> "x").get(10, TimeUnit.SECONDS))
                .isEqualTo("x");
    }

    @Test
    void aPluginAtItsLimitIsBusyWhileOtherPluginsRun() throws Exception {
        with(Duration.ofSeconds(30), 1, 4);
        CompletableFuture<String> first = invocations.run(plugin, "Tool 'stubborn'", context(), this::stubborn);
        PluginCallException busy = failure(invocations.run(plugin, "Tool 'x'", context(), () -> "x"));
        assertThat(busy.reason()).isEqualTo(PluginCallException.Reason.BUSY);
        assertThat(busy.getMessage()).contains("com.example.a").contains("maximum of 1 calls");
        assertThat(invocations.run(other, "Tool 'b'", context(), () -> "b").get(10, TimeUnit.SECONDS)).isEqualTo("b");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("released");
    }

    /** Keeps a CPU busy, ignoring interrupts, until the release; counts itself while it spins. */
    private String spin(java.util.concurrent.atomic.AtomicInteger spinning) {
        spinning.incrementAndGet();
        long turns = 0;
        while (release.getCount() > 0) {
            Thread.interrupted();
            turns++;
        }
        spinning.decrementAndGet();
        return "spun " + (turns >= 0 ? "until released" : "");
    }

    @Test
    void aToolSeenComputingRunsAsManyCallsAsThereAreThreadsWhileOtherToolsOfItsPluginAnswer() throws Exception {
        with(Duration.ofSeconds(60), 100, 100);
        java.util.concurrent.atomic.AtomicInteger spinning = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<CompletableFuture<String>> spins = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * PluginCalls.CORE_THREADS; i++) {
            spins.add(invocations.run(plugin, "Tool 'spin'", context(), () -> spin(spinning)));
        }
        await(() -> spinning.get() == PluginCalls.CORE_THREADS);
        // Long enough for the watch to see the first ones compute and to add threads if it would.
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        while (System.nanoTime() < until) {
            most.accumulateAndGet(spinning.get(), Math::max);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(most.get()).isEqualTo(PluginCalls.CORE_THREADS);
        assertThat(health(7).running()).isEqualTo(3 * PluginCalls.CORE_THREADS);
        assertThat(invocations.run(plugin, "Tool 'ping'", context(), () -> "pong").get(10, TimeUnit.SECONDS))
                .isEqualTo("pong");

        release.countDown();
        for (CompletableFuture<String> s : spins) {
            assertThat(s.get(30, TimeUnit.SECONDS)).isEqualTo("spun until released");
        }
        await(() -> health(7).running() == 0);
    }

    /** Field {@code field} (numbered as in proc(5)) of a thread's stat line: 19 is its nice value, 41 its scheduling policy. */
    private static int stat(int tid, int field) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/task/" + tid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[field - 3]);
    }

    @Test
    void aComputingCallGetsTheLowestPriorityFirstAndTheIdleClassOnlyOnceItRunsAway() throws Exception {
        with(Duration.ofSeconds(600), 4, 4);
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        CompletableFuture<String> spin = invocations.run(plugin, "Tool 'spin'", context(), () -> {
            thread.complete(Thread.currentThread());
            tid.complete(dev.plugboard.host.containment.IdleScheduling.currentThreadId());
            return spin(new java.util.concurrent.atomic.AtomicInteger());
        });
        int id = tid.get(10, TimeUnit.SECONDS);
        long javaId = thread.get(10, TimeUnit.SECONDS).threadId();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        // However fast or crowded the machine: never in the idle class before it has computed for
        // RUNAWAY_CPU (the policy is read first, the CPU time, which only grows, after it).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (stat(id, 41) != 5) {
            assertThat(System.nanoTime()).as("in the idle class within 120 s").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(cpu.getThreadCpuTime(javaId)).isGreaterThanOrEqualTo(CallWatch.RUNAWAY_CPU.toNanos());
        assertThat(stat(id, 19)).isEqualTo(19);

        release.countDown();
        assertThat(spin.get(30, TimeUnit.SECONDS)).isEqualTo("spun until released");
    }

    @Test
    void callsThatWaitAllGetThreads() throws Exception {
        with(Duration.ofSeconds(60), 100, 100);
        java.util.List<CompletableFuture<String>> hangs = new java.util.ArrayList<>();
        int calls = 4 * PluginCalls.CORE_THREADS;
        CountDownLatch allWaiting = new CountDownLatch(calls);
        for (int i = 0; i < calls; i++) {
            hangs.add(invocations.run(plugin, "Tool 'hang'", context(), () -> {
                allWaiting.countDown();
                return stubborn();
            }));
        }
        assertThat(allWaiting.await(10, TimeUnit.SECONDS)).as("every waiting call got a thread").isTrue();
        release.countDown();
        for (CompletableFuture<String> h : hangs) {
            assertThat(h.get(10, TimeUnit.SECONDS)).isEqualTo("released");
        }
    }

    @Test
    void callsThatWaitOnTheHostsIoAllGetThreadsAndSaySo() throws Exception {
        with(Duration.ofSeconds(60), 100, 100);
        int calls = 4 * PluginCalls.CORE_THREADS;
        CountDownLatch allWaiting = new CountDownLatch(calls);
        java.util.List<CompletableFuture<Boolean>> waits = new java.util.ArrayList<>();
        for (int i = 0; i < calls; i++) {
            waits.add(invocations.run(plugin, "Tool 'proxied'", context(), () -> {
                boolean announced = IoWaits.begin();
                try {
                    allWaiting.countDown();
                    release.await();
                } finally {
                    IoWaits.end();
                }
                return announced;
            }));
        }
        assertThat(allWaiting.await(10, TimeUnit.SECONDS)).as("every call waiting on the host got a thread").isTrue();
        assertThat(health(7).running()).isEqualTo(calls);
        release.countDown();
        for (CompletableFuture<Boolean> w : waits) {
            assertThat(w.get(10, TimeUnit.SECONDS)).as("its wait was counted as the host's").isTrue();
        }
        assertThat(IoWaits.begin()).as("a thread that runs no plugin call").isFalse();
    }

    @Test
    void anOutOfMemoryErrorEndsOnlyItsCall() throws Exception {
        with(Duration.ofSeconds(30), 4, 4);
        PluginCallException oom = failure(invocations.run(plugin, "Tool 'huge'", context(),
                () -> new byte[Integer.MAX_VALUE].length));
        assertThat(oom.getMessage()).startsWith("Tool 'huge' ran out of memory");
        assertThat(invocations.run(plugin, "Tool 'x'", context(), () -> "x").get(10, TimeUnit.SECONDS)).isEqualTo("x");
    }

    @Test
    void longErrorMessagesAreClipped() throws Exception {
        with(Duration.ofSeconds(30), 4, 4);
        PluginCallException failed = failure(invocations.run(plugin, "Tool 'x'", context(), () -> {
            throw new IllegalStateException("x".repeat(100_000));
        }));
        assertThat(failed.getMessage()).hasSizeLessThan(1_000).contains("more characters");
        assertThatThrownBy(() -> { throw failed; }).hasCauseInstanceOf(IllegalStateException.class);
    }
}
