package dev.plugboard.host.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.nio.NIOConnection;

/**
 * Notices clients that hang up while their request is still running. Grizzly does not read a
 * connection while a handler is busy with one of its requests, so it would see the hang-up only
 * when it next writes; this thread watches, on a selector of its own, the sockets of requests that
 * have been running for a while, and reports one that becomes readable with nothing to read: the
 * client closed it. A socket that turns readable because bytes arrived is a client that pipelined
 * its next request on the same connection; that request waits its turn, the running one is not
 * cancelled, and the socket is no longer watched (its hang-up shows when the answer is written).
 * Watching and releasing cost a set insertion and removal; only requests still running after the
 * delay touch the selector. Thread-safe.
 */
public final class HangUps implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HangUps.class.getName());

    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final long delayNanos;
    private final Selector selector;
    private final Thread watcher;
    private volatile boolean running = true;

    /** @param delay how long a request runs before its socket is watched */
    public HangUps(Duration delay) {
        this.delayNanos = delay.toNanos();
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a selector to watch for clients hanging up", e);
        }
        this.watcher = Thread.ofPlatform().daemon().name("http-hang-ups").start(this::watch);
    }

    /**
     * Runs an action if the client of a request hangs up before the returned watch is released.
     * Release it when the request ends.
     */
    public Watch watch(Connection<?> connection, Runnable onHangUp) {
        Watch w = new Watch(((NIOConnection) connection).getChannel(), onHangUp, System.nanoTime() + delayNanos);
        watched.add(w);
        return w;
    }

    private void watch() {
        long tickMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos) / 2);
        while (running) {
            try {
                selector.select(tickMillis);
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey key = it.next();
                    it.remove();
                    key.cancel();
                    Watch w = (Watch) key.attachment();
                    if (hasBytes(w.channel)) {
                        w.release();
                    } else {
                        w.hungUp();
                    }
                }
                long now = System.nanoTime();
                for (Watch w : watched) {
                    if (w.key == null && now - w.from >= 0) {
                        register(w);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Watching for clients hanging up failed; going on", e);
            }
        }
    }

    /** Whether bytes wait on a socket (a pipelined request) rather than its end. */
    private static boolean hasBytes(SelectableChannel channel) {
        try {
            return channel instanceof SocketChannel socket && socket.socket().getInputStream().available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void register(Watch w) throws IOException {
        SelectionKey earlier = w.channel.keyFor(selector);
        if (earlier != null && !earlier.isValid()) {
            selector.selectNow();
        }
        try {
            w.key = w.channel.register(selector, SelectionKey.OP_READ, w);
        } catch (ClosedChannelException e) {
            watched.remove(w);
            w.hungUp();
            return;
        }
        if (!watched.contains(w)) {
            w.key.cancel();
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            watcher.join(TimeUnit.SECONDS.toMillis(1));
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(Level.FINE, "Closing the hang-up selector failed", e);
        }
        watched.clear();
    }

    /** One request being watched. */
    public final class Watch {

        private final SelectableChannel channel;
        private final Runnable onHangUp;
        private final long from;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile SelectionKey key;

        private Watch(SelectableChannel channel, Runnable onHangUp, long from) {
            this.channel = channel;
            this.onHangUp = onHangUp;
            this.from = from;
        }

        /** Stops watching: the request ended. */
        public void release() {
            if (over.compareAndSet(false, true)) {
                watched.remove(this);
                SelectionKey k = key;
                if (k != null) {
                    k.cancel();
                }
            }
        }

        private void hungUp() {
            if (over.compareAndSet(false, true)) {
                watched.remove(this);
                onHangUp.run();
            }
        }
    }
}
