package dev.plugboard.host.catalog;

import dev.plugboard.host.protocol.CallContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a set of tools comes from (a plugin's service), and the calls running on it.
 *
 * <p>When the service goes away the registry closes its provider: no new call enters, and the calls
 * in flight get a bounded time to finish before they are cancelled.
 */
public final class Provider {

    private final String bundleName;
    private final String bundleVersion;
    private final long bundleId;
    private final long serviceId;
    private final int ranking;
    private final boolean meta;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Set<CallContext> inFlight = new HashSet<>();
    private boolean closed;
    private volatile java.util.function.BiConsumer<String, Boolean> subscriptions;

    /**
     * @param bundleName the owning bundle's symbolic name
     * @param bundleVersion the owning bundle's version
     * @param bundleId the owning bundle's id
     * @param serviceId the service id; among providers of the same tool name, the lowest wins at equal ranking
     * @param ranking the service ranking; the highest wins
     * @param meta whether its tools are about the catalogue (listed in search mode)
     */
    public Provider(String bundleName, String bundleVersion, long bundleId, long serviceId, int ranking, boolean meta) {
        this.bundleName = bundleName;
        this.bundleVersion = bundleVersion;
        this.bundleId = bundleId;
        this.serviceId = serviceId;
        this.ranking = ranking;
        this.meta = meta;
    }

    /** Whether its tools are about the catalogue itself (listed in search mode). */
    public boolean meta() {
        return meta;
    }

    /** The owning bundle's symbolic name. */
    public String bundleName() {
        return bundleName;
    }

    /** The owning bundle's version. */
    public String bundleVersion() {
        return bundleVersion;
    }

    /** The owning bundle's id. */
    public long bundleId() {
        return bundleId;
    }

    /** The service id (a made-up one for entries defined at run time). */
    public long serviceId() {
        return serviceId;
    }

    /** Orders providers: higher ranking first, then the older service. */
    static int compare(Provider a, Provider b) {
        int byRank = Integer.compare(b.ranking, a.ranking);
        return byRank != 0 ? byRank : Long.compare(a.serviceId, b.serviceId);
    }

    /** Admits a call; false when the provider is closed. */
    public boolean enter(CallContext call) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            inFlight.add(call);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Records the end of an admitted call. */
    public void exit(CallContext call) {
        lock.lock();
        try {
            inFlight.remove(call);
            if (inFlight.isEmpty()) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the provider, waits up to {@code grace} for the calls in flight to finish, and cancels
     * those that did not.
     *
     * @return how many calls had to be cancelled
     */
    int close(Duration grace) {
        List<CallContext> remaining;
        lock.lock();
        try {
            closed = true;
            long nanos = grace.toNanos();
            while (!inFlight.isEmpty() && nanos > 0) {
                nanos = idle.awaitNanos(nanos);
            }
            remaining = List.copyOf(inFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            remaining = List.copyOf(inFlight);
        } finally {
            lock.unlock();
        }
        remaining.forEach(c -> c.cancel("the plugin providing this tool (" + bundleName + " " + bundleVersion
                + ") was stopped, updated or removed during the call"));
        return remaining.size();
    }

    @Override
    public String toString() {
        return bundleName + " " + bundleVersion + " (bundle " + bundleId + ", service " + serviceId + ")";
    }

    /** A provider for tools registered by the host itself rather than by a bundle. */
    public static Provider host(long serviceId) {
        return new Provider("dev.plugboard.host", "built-in", 0, serviceId, 0, false);
    }

    /** A provider for the host's own tools about the catalogue (listed in search mode). */
    public static Provider hostMeta(long serviceId) {
        return new Provider("dev.plugboard.host", "built-in", 0, serviceId, 0, true);
    }

    /** Who hears clients subscribe to this provider's resources (a dynamic group's listener), or null. */
    public void onSubscriptions(java.util.function.BiConsumer<String, Boolean> listener) {
        this.subscriptions = listener;
    }

    /** A session subscribed to (or unsubscribed from) one of its resources: tells the listener, if any. */
    public void subscriptionChanged(String uri, boolean subscribed) {
        var listener = subscriptions;
        if (listener != null) {
            try {
                listener.accept(uri, subscribed);
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(Provider.class.getName()).warning(() -> "The subscription listener of "
                        + this + " failed: " + e);
            }
        }
    }
}
