package dev.plugboard.host.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.plugboard.host.protocol.CallerIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TasksTest {

    private static final CallerIdentity ADA = caller("ada");
    private static final CallerIdentity BOB = caller("bob");
    private static final CallerIdentity ADMIN = new CallerIdentity("root", Set.of(Tasks.ADMIN_ROLE), null, null, null);

    private final MovableClock clock = new MovableClock();
    private Tasks tasks = new Tasks(new MemoryTaskStore(), new TaskLimits(2, 3, Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofSeconds(1), 64), clock, Duration.ofHours(1));

    @AfterEach
    void close() {
        tasks.close();
    }

    private static CallerIdentity caller(String principal) {
        return new CallerIdentity(principal, Set.of(), null, null, null);
    }

    @Test
    void aCallerSeesAndCancelsOnlyItsOwnTasksAndAnAdminAll() {
        TaskRecord mine = tasks.create(ADA, "countdown", "2026-07-28", null);

        assertThat(tasks.get(ADA, mine.id()).status()).isEqualTo(TaskStatus.WORKING);
        assertThatThrownBy(() -> tasks.get(BOB, mine.id())).isInstanceOfSatisfying(TaskException.class,
                e -> assertThat(e.reason()).isEqualTo(TaskException.Reason.NOT_FOUND));
        assertThatThrownBy(() -> tasks.cancel(BOB, mine.id())).isInstanceOf(TaskException.class);
        assertThat(tasks.list(BOB, null, null)).isEmpty();
        assertThat(tasks.list(ADMIN, null, null)).extracting(TaskRecord::id).containsExactly(mine.id());
        assertThat(tasks.cancel(ADMIN, mine.id()).status()).isEqualTo(TaskStatus.CANCELLED);
    }

    @Test
    void limitsUnfinishedTasksPerCallerAndInTotal() {
        tasks.create(ADA, "countdown", "2026-07-28", null);
        TaskRecord second = tasks.create(ADA, "countdown", "2026-07-28", null);

        assertThatThrownBy(() -> tasks.create(ADA, "countdown", "2026-07-28", null))
                .isInstanceOfSatisfying(TaskException.class,
                        e -> assertThat(e.reason()).isEqualTo(TaskException.Reason.LIMIT));
        tasks.create(BOB, "countdown", "2026-07-28", null);
        assertThatThrownBy(() -> tasks.create(caller("cy"), "countdown", "2026-07-28", null))
                .hasMessageContaining("at most 3");

        tasks.complete(second.id(), result("done"), false);
        assertThat(tasks.create(ADA, "countdown", "2026-07-28", null).status()).isEqualTo(TaskStatus.WORKING);
    }

    @Test
    void forgetsTasksOnceTheirTimeToLiveHasPassedAndCancelsThoseStillRunning() {
        TaskRecord ended = tasks.create(ADA, "countdown", "2026-07-28", Duration.ofMinutes(1));
        tasks.complete(ended.id(), result("done"), false);
        TaskRecord running = tasks.create(BOB, "countdown", "2026-07-28", Duration.ofMinutes(2));
        List<TaskRecord> changes = new ArrayList<>();
        tasks.listen(changes::add);

        clock.advance(Duration.ofSeconds(61));
        tasks.sweep();
        assertThatThrownBy(() -> tasks.get(ADA, ended.id())).isInstanceOf(TaskException.class);
        assertThat(tasks.get(BOB, running.id()).status()).isEqualTo(TaskStatus.WORKING);

        clock.advance(Duration.ofSeconds(60));
        tasks.sweep();
        assertThatThrownBy(() -> tasks.get(BOB, running.id())).isInstanceOf(TaskException.class);
        assertThat(changes).extracting(TaskRecord::status).containsExactly(TaskStatus.CANCELLED);
    }

    @Test
    void clampsTheTimeToLiveAClientAsksFor() {
        assertThat(tasks.create(ADA, "t", "2025-11-25", Duration.ofDays(3)).ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(tasks.create(ADA, "t", "2025-11-25", null).ttl()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void failsATaskWhoseResultIsOverTheSizeLimit() {
        TaskRecord task = tasks.create(ADA, "big", "2026-07-28", null);

        tasks.complete(task.id(), result("x".repeat(100)), false);

        TaskRecord after = tasks.get(ADA, task.id());
        assertThat(after.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(after.result()).isNull();
        assertThat(after.error().message()).contains("more than the 64");
    }

    @Test
    void aToolErrorCompletesTheTaskUnder2026AndFailsItUnder2025() {
        TaskRecord current = tasks.create(ADA, "t", "2026-07-28", null);
        TaskRecord legacy = tasks.create(BOB, "t", "2025-11-25", null);
        JsonNode error = result("no").put("isError", true);

        tasks.complete(current.id(), error, false);
        tasks.complete(legacy.id(), error, true);

        assertThat(tasks.get(ADA, current.id()).status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(tasks.get(BOB, legacy.id()).status()).isEqualTo(TaskStatus.FAILED);
        assertThat(tasks.get(BOB, legacy.id()).result()).isEqualTo(error);
    }

    @Test
    void aTaskWaitsForEveryAnswerAndShowsOnlyTheQuestionsStillOpen() throws Exception {
        TaskRecord task = tasks.create(ADA, "ask", "2026-07-28", null);
        CompletableFuture<Map<String, JsonNode>> answers = CompletableFuture.supplyAsync(() -> {
            try {
                return tasks.awaitAnswers(task.id(), Map.of("a", question("A?"), "b", question("B?")));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<Void> asked = new CompletableFuture<>();
        tasks.listen(t -> {
            if (t.inputRequests().size() == 2) {
                asked.complete(null);
            }
        });
        if (tasks.get(ADA, task.id()).inputRequests().size() == 2) {
            asked.complete(null);
        }
        asked.get(10, TimeUnit.SECONDS);

        tasks.answer(ADA, task.id(), Map.of("a", text("yes"), "unknown", text("ignored")));
        TaskRecord partly = tasks.get(ADA, task.id());
        assertThat(partly.status()).isEqualTo(TaskStatus.INPUT_REQUIRED);
        assertThat(partly.inputRequests()).containsOnlyKeys("b");
        assertThat(answers).isNotDone();

        tasks.answer(ADA, task.id(), Map.of("b", text("no")));
        assertThat(answers.get(10, TimeUnit.SECONDS)).containsOnlyKeys("a", "b");
        assertThat(tasks.get(ADA, task.id()).status()).isEqualTo(TaskStatus.WORKING);
    }

    @Test
    void countsTasksByStatusAndTool() {
        TaskRecord a = tasks.create(ADA, "countdown", "2026-07-28", null);
        clock.advance(Duration.ofMillis(1500));
        tasks.complete(a.id(), result("ok"), false);
        TaskRecord b = tasks.create(ADA, "other", "2026-07-28", null);
        tasks.cancel(ADA, b.id());

        Tasks.Stats stats = tasks.stats(ADA);

        assertThat(stats.byStatus()).containsEntry("completed", 1L).containsEntry("cancelled", 1L)
                .containsEntry("working", 0L);
        assertThat(stats.byTool().get("countdown")).isEqualTo(new Tasks.ToolStats(1, 1, 1500, 1500));
        assertThat(tasks.stats(BOB).byTool()).isEmpty();
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode result(String text) {
        var node = JsonNodeFactory.instance.objectNode();
        node.putArray("content").addObject().put("type", "text").put("text", text);
        return node;
    }

    private static JsonNode question(String message) {
        var node = JsonNodeFactory.instance.objectNode().put("method", "elicitation/create");
        node.putObject("params").put("message", message);
        return node;
    }

    private static JsonNode text(String value) {
        return JsonNodeFactory.instance.textNode(value);
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
