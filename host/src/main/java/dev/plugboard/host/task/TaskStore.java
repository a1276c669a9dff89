package dev.plugboard.host.task;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where task state lives: in memory by default ({@link MemoryTaskStore}); a shared store (Redis)
 * lets every node answer for every task. Implementations are thread-safe, and {@link #update} is
 * atomic per task.
 */
public interface TaskStore {

    /** Stores a new task. */
    void create(TaskRecord task);

    /** The task with this id, if the store has it. */
    Optional<TaskRecord> get(String id);

    /**
     * Changes a task atomically.
     *
     * @param change from the stored snapshot to the new one; returning the same instance changes nothing
     * @return the task after the change, or empty when the store does not have it
     */
    Optional<TaskRecord> update(String id, UnaryOperator<TaskRecord> change);

    /** Every task, newest first. */
    List<TaskRecord> all();

    /** Forgets a task; true when it was there. */
    boolean remove(String id);

    /** Whether other nodes share this store (their tasks are seen here, and may end without this node). */
    default boolean shared() {
        return false;
    }

    /** Where the changes other nodes make to tasks are told (a shared store only). */
    default void onChangedElsewhere(Consumer<TaskRecord> listener) {
    }
}
