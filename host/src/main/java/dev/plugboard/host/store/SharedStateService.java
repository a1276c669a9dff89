package dev.plugboard.host.store;

import dev.plugboard.api.store.SharedState;
import java.time.Duration;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * The {@link SharedState} service: each bundle that gets it sees the store through its own
 * namespace, every key prefixed with the bundle's symbolic name, so no plugin reads or counts in
 * another's keys.
 */
public final class SharedStateService implements ServiceFactory<SharedState> {

    /** The longest key a plugin may use. */
    static final int MAX_KEY_LENGTH = 1024;

    private final SharedState store;

    /** @param store the node's state (in memory, or in Redis), keys not yet namespaced */
    public SharedStateService(SharedState store) {
        this.store = store;
    }

    @Override
    public SharedState getService(Bundle bundle, ServiceRegistration<SharedState> registration) {
        return namespaced(store, bundle.getSymbolicName());
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<SharedState> registration, SharedState service) {
        // nothing held per bundle
    }

    /** The state as a plugin of this symbolic name sees it. */
    static SharedState namespaced(SharedState store, String symbolicName) {
        return new Namespaced(store, symbolicName + ":");
    }

    private record Namespaced(SharedState store, String prefix) implements SharedState {

        @Override
        public boolean shared() {
            return store.shared();
        }

        @Override
        public Optional<byte[]> get(String key) {
            return store.get(scoped(key));
        }

        @Override
        public void put(String key, byte[] value, Duration ttl) {
            if (value == null) {
                throw new IllegalArgumentException("a shared value cannot be null");
            }
            store.put(scoped(key), value, positive(ttl));
        }

        @Override
        public void delete(String key) {
            store.delete(scoped(key));
        }

        @Override
        public Reservation reserve(String key, long amount, long limit, Duration ttl) {
            if (amount < 0) {
                throw new IllegalArgumentException("a reserved amount cannot be negative: " + amount);
            }
            return store.reserve(scoped(key), amount, limit, positive(ttl));
        }

        @Override
        public long adjust(String key, long delta, Duration ttl) {
            return store.adjust(scoped(key), delta, positive(ttl));
        }

        private String scoped(String key) {
            if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("a shared key must be 1 to " + MAX_KEY_LENGTH + " characters");
            }
            return prefix + key;
        }

        private static Duration positive(Duration ttl) {
            if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("a shared entry needs a positive time to live");
            }
            return ttl;
        }
    }
}
