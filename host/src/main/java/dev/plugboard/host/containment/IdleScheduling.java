package dev.plugboard.host.containment;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lowers a thread that keeps a CPU busy, in two steps. {@link #lowestPriority} gives it nice 19, so
 * that it yields most of its CPU to anything else that wants it yet keeps a small weighted share,
 * and finishes even on a machine that is never idle. {@link #idle} moves it to Linux's idle
 * scheduling class ({@code SCHED_IDLE}), where any other thread that wakes up takes the CPU from it
 * at once (a thread at nice 19 keeps the CPU until its time slice ends, so every request would wait
 * up to a slice behind it at each hand-off between threads), but where it runs only when nothing
 * else on the machine wants a CPU. Lowering a thread needs no privilege; raising it again does, so
 * a lowered thread ends after its call.
 *
 * <p>Elsewhere than on Linux (or if the C library cannot be called) nothing happens and the host
 * relies on thread priorities alone. Thread-safe.
 */
public final class IdleScheduling {

    private static final Logger LOG = Logger.getLogger(IdleScheduling.class.getName());
    private static final int SCHED_IDLE = 5;
    private static final int PRIO_PROCESS = 0;
    private static final int LOWEST_NICE = 19;
    private static final boolean LINUX = Files.isSymbolicLink(Path.of("/proc/thread-self"));
    private static final ThreadLocal<Integer> OWN_ID = ThreadLocal.withInitial(IdleScheduling::readOwnId);

    /** The part of the C library used here. */
    interface CLibrary extends Library {
        int sched_setscheduler(int tid, int policy, int[] param);

        int setpriority(int which, int who, int prio);
    }

    private IdleScheduling() {
    }

    /** Loaded on first use, by the thread that moves a thread (loading takes a while). */
    private static final class Libc {
        static final CLibrary INSTANCE = load();
    }

    private static CLibrary load() {
        if (!LINUX) {
            return null;
        }
        try {
            return Native.load("c", CLibrary.class);
        } catch (LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "The C library cannot be called; busy plugin calls keep their scheduling class", e);
            return null;
        }
    }

    /** The operating system's id of the calling thread, or 0 when it cannot be known. Cheap after the first call on a thread. */
    public static int currentThreadId() {
        return LINUX ? OWN_ID.get() : 0;
    }

    private static Integer readOwnId() {
        try {
            // "<pid>/task/<tid>"
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Gives a thread the lowest priority, nice 19, whatever the JVM's thread priority policy (on
     * Linux a thread's nice value is its own: {@code setpriority} with its id changes that thread only).
     *
     * @param threadId its {@link #currentThreadId()}, taken on that thread
     * @return whether its priority changed
     */
    public static boolean lowestPriority(int threadId) {
        CLibrary libc = threadId > 0 ? Libc.INSTANCE : null;
        if (libc == null) {
            return false;
        }
        try {
            return libc.setpriority(PRIO_PROCESS, threadId, LOWEST_NICE) == 0;
        } catch (LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "Lowering a thread's priority failed", e);
            return false;
        }
    }

    /**
     * Moves a thread to the idle scheduling class.
     *
     * @param threadId its {@link #currentThreadId()}, taken on that thread
     * @return whether it moved
     */
    public static boolean idle(int threadId) {
        CLibrary libc = threadId > 0 ? Libc.INSTANCE : null;
        if (libc == null) {
            return false;
        }
        try {
            return libc.sched_setscheduler(threadId, SCHED_IDLE, new int[] {0}) == 0;
        } catch (LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "Moving a thread to the idle scheduling class failed", e);
            return false;
        }
    }
}
