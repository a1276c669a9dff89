package dev.plugboard.host.http;

import java.util.concurrent.ArrayBlockingQueue;
import org.glassfish.grizzly.ThreadCache;
import org.glassfish.grizzly.http.server.Request;

/**
 * Hands Grizzly's recycled request objects back from the threads that finish held responses to the
 * network thread that parses requests.
 *
 * <p>Grizzly keeps the objects of a request (the server's {@link Request} with its response, and the
 * parsed request packet with its headers) in a cache of the thread that finishes it, and takes them
 * from the cache of the thread that parses the next one. A held response ({@link HeldResponse}) is
 * finished by the plugin's thread, so the network thread's cache stayed empty and every request was
 * built anew: 40% of the bytes a tool call allocated, and most of the young collections under load.
 * Here the finishing thread takes what it just recycled out of its own cache (only the owning thread
 * touches a thread's cache) into a bounded queue, and the network thread puts it into its own cache
 * before the next request arrives. Objects that find the queue or a cache full are left to the
 * garbage collector, as Grizzly does. Thread-safe.
 */
final class RecycledRequests {

    /** Grizzly's cache slot of the server's request; the same slot Grizzly obtains by the class's name. */
    private static final ThreadCache.CachedTypeIndex<Request> REQUESTS = ThreadCache.obtainIndex(Request.class, 16);
    /** Grizzly's cache slot of the parsed request packet (its class is private to Grizzly, so it is named). */
    private static final ThreadCache.CachedTypeIndex<Object> PACKETS = ThreadCache.obtainIndex(
            "org.glassfish.grizzly.http.HttpServerFilter$ServerHttpRequestImpl", Object.class, 16);
    /** Objects of each kind waiting for a network thread: a few requests' worth of concurrency. */
    private static final int WAITING = 64;
    /** How many of each kind a network thread takes after a request: more than one, to catch up. */
    private static final int REFILL = 2;

    private static final ArrayBlockingQueue<Request> requests = new ArrayBlockingQueue<>(WAITING);
    private static final ArrayBlockingQueue<Object> packets = new ArrayBlockingQueue<>(WAITING);

    private RecycledRequests() {
    }

    /**
     * On a thread that has just finished a held response: passes what it recycled on.
     *
     * @return how many objects it took from this thread's cache (0 to 2)
     */
    static int collect() {
        return move(REQUESTS, requests) + move(PACKETS, packets);
    }

    /** On the network thread, after it handed a request on: takes recycled objects into its cache. */
    static void refill() {
        for (int i = 0; i < REFILL; i++) {
            Request request = requests.poll();
            Object packet = packets.poll();
            if (request == null && packet == null) {
                return;
            }
            if (request != null) {
                ThreadCache.putToCache(REQUESTS, request);
            }
            if (packet != null) {
                ThreadCache.putToCache(PACKETS, packet);
            }
        }
    }

    private static <E> int move(ThreadCache.CachedTypeIndex<E> index, ArrayBlockingQueue<E> queue) {
        E recycled = ThreadCache.takeFromCache(index);
        if (recycled == null) {
            return 0;
        }
        queue.offer(recycled); // refused when full: the network thread is well supplied, let it go
        return 1;
    }
}
