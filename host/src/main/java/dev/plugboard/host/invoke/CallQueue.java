package dev.plugboard.host.invoke;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The calls of one plugin waiting for one of its threads, in arrival order, taken by lane (what a
 * call runs: {@code Tool 'spin'}, {@code Resource 'file:///x'}).
 *
 * <p>A lane whose calls keep a CPU busy (the watch has seen one compute for a whole window) runs
 * at most {@code computingPerLane} calls at once; its further calls wait here while the calls of
 * other lanes pass them. So a tool that spins takes about as many CPUs as the machine has,
 * however many calls it is sent, instead of a thread per call that the operating system must
 * schedule (and the JVM bring to every safepoint) beside the host's own threads. Until the watch
 * has seen a lane's calls at work, the lane runs that many calls at once too; once it has seen one
 * wait (blocked, sleeping, or in a socket read that uses no CPU) the lane is not held back, so
 * calls that wait never keep other calls waiting for long. A call whose thread waits on the host's
 * own I/O for it (see {@link IoWaits}) lets its lane go at once, without waiting for the watch.
 */
final class CallQueue extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {

    /** A call waiting for a thread. */
    record Waiting(RunningCall call, Runnable work) implements Runnable {
        @Override
        public void run() {
            work.run();
        }
    }

    /** What the watch last saw the calls of a lane do. */
    enum Seen {
        NOTHING, COMPUTING, WAITING
    }

    private static final class Lane {
        int started;
        Seen seen = Seen.NOTHING;
    }

    private final int computingPerLane;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private final Map<String, Lane> lanes = new HashMap<>();

    CallQueue(int computingPerLane) {
        this.computingPerLane = computingPerLane;
    }

    // ---- what the plugin and the watch tell it ----

    /** A started call's thread left the plugin's code. */
    void ended(RunningCall call) {
        lock.lock();
        try {
            Lane lane = lanes.get(call.what());
            if (lane != null && --lane.started == 0 && lane.seen != Seen.COMPUTING) {
                lanes.remove(call.what());
            }
            if (!queue.isEmpty()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The watch saw a started call compute for a whole window, or wait. */
    void seen(RunningCall call, Seen what) {
        lock.lock();
        try {
            Lane lane = lanes.get(call.what());
            if (lane != null && lane.seen != what) {
                lane.seen = what;
                if (what == Seen.WAITING && !queue.isEmpty()) {
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A started call's thread waits on I/O the host does for it (an upstream server's answer): its
     * lane is not held back, as if the watch had seen it wait, unless the watch has seen the lane's
     * calls compute (that evidence wins: a tool that burns a CPU stays held back however it waits).
     */
    void waitsOnHost(RunningCall call) {
        lock.lock();
        try {
            Lane lane = lanes.get(call.what());
            if (lane != null && lane.seen == Seen.NOTHING) {
                lane.seen = Seen.WAITING;
                if (!queue.isEmpty()) {
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many waiting calls a thread could take now (each lane counted up to what it may start). */
    int startable() {
        lock.lock();
        try {
            int n = 0;
            Map<String, Integer> room = new HashMap<>();
            for (Waiting w : queue) {
                int left = room.computeIfAbsent(w.call().what(), this::room);
                if (left > 0) {
                    room.put(w.call().what(), left - 1);
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** When the longest-waiting call that a thread could take now arrived, or -1 if none. */
    long oldestStartable() {
        lock.lock();
        try {
            for (Waiting w : queue) {
                if (room(w.call().what()) > 0) {
                    return w.call().started();
                }
            }
            return -1;
        } finally {
            lock.unlock();
        }
    }

    private int room(String what) {
        Lane lane = lanes.get(what);
        if (lane == null) {
            return computingPerLane;
        }
        return lane.seen == Seen.WAITING ? Integer.MAX_VALUE : computingPerLane - lane.started;
    }

    /** Takes the first call a thread may start now, counting it started; null if none. Under the lock. */
    private Waiting takeStartable() {
        for (Iterator<Waiting> it = queue.iterator(); it.hasNext();) {
            Waiting w = it.next();
            if (room(w.call().what()) > 0) {
                it.remove();
                lanes.computeIfAbsent(w.call().what(), k -> new Lane()).started++;
                return w;
            }
        }
        return null;
    }

    // ---- the queue the plugin's thread pool takes from ----

    @Override
    public boolean offer(Runnable r) {
        lock.lock();
        try {
            queue.add((Waiting) r);
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(Runnable r) {
        offer(r);
    }

    @Override
    public boolean offer(Runnable r, long timeout, TimeUnit unit) {
        return offer(r);
    }

    @Override
    public Runnable take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            Waiting w;
            while ((w = takeStartable()) == null) {
                changed.await();
            }
            return w;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            Waiting w;
            while ((w = takeStartable()) == null) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return w;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Runnable poll() {
        lock.lock();
        try {
            return takeStartable();
        } finally {
            lock.unlock();
        }
    }

    /** The first waiting call, startable or not (the pool asks only whether there is one). */
    @Override
    public Runnable peek() {
        lock.lock();
        try {
            return queue.peek();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int remainingCapacity() {
        return Integer.MAX_VALUE;
    }

    @Override
    public boolean remove(Object o) {
        lock.lock();
        try {
            return queue.remove(o);
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot: the pool only walks it to cancel on shutdown. */
    @Override
    public Iterator<Runnable> iterator() {
        lock.lock();
        try {
            return new ArrayDeque<Runnable>(queue).iterator();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int drainTo(Collection<? super Runnable> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super Runnable> c, int max) {
        lock.lock();
        try {
            int n = 0;
            while (n < max && !queue.isEmpty()) {
                c.add(queue.poll());
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }
}
