package dev.plugboard.host.task;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Tasks in this node's memory: lost on restart, seen by this node only. */
public final class MemoryTaskStore implements TaskStore {

    private final ConcurrentHashMap<String, TaskRecord> tasks = new ConcurrentHashMap<>();

    @Override
    public void create(TaskRecord task) {
        if (tasks.putIfAbsent(task.id(), task) != null) {
            throw new IllegalStateException("task id taken: " + task.id());
        }
    }

    @Override
    public Optional<TaskRecord> get(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    @Override
    public Optional<TaskRecord> update(String id, UnaryOperator<TaskRecord> change) {
        return Optional.ofNullable(tasks.computeIfPresent(id, (k, v) -> change.apply(v)));
    }

    @Override
    public List<TaskRecord> all() {
        return tasks.values().stream().sorted(Comparator.comparing(TaskRecord::createdAt).reversed()
                .thenComparing(TaskRecord::id)).toList();
    }

    @Override
    public boolean remove(String id) {
        return tasks.remove(id) != null;
    }
}
