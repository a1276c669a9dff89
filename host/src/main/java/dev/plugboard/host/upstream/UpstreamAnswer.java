package dev.plugboard.host.upstream;

import dev.plugboard.host.invoke.IoWaits;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The answer to a request sent upstream: a plugin call's thread that waits for it tells the host it
 * waits on the host's I/O ({@link IoWaits}), so that the plugin's other calls get threads at once.
 */
final class UpstreamAnswer<T> extends CompletableFuture<T> {

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (isDone() || !IoWaits.begin()) {
            return super.get();
        }
        try {
            return super.get();
        } finally {
            IoWaits.end();
        }
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (isDone() || !IoWaits.begin()) {
            return super.get(timeout, unit);
        }
        try {
            return super.get(timeout, unit);
        } finally {
            IoWaits.end();
        }
    }

    @Override
    public T join() {
        if (isDone() || !IoWaits.begin()) {
            return super.join();
        }
        try {
            return super.join();
        } finally {
            IoWaits.end();
        }
    }
}
