package dev.plugboard.plugins.proxy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The proxy's circuit breakers (each upstream's, and each tool's that has its own), kept in one
 * Resilience4j registry whose meters ({@code resilience4j.circuitbreaker.state}, {@code .calls},
 * {@code .failure.rate}... tagged by breaker name) are bound to the host's {@code MeterRegistry}
 * service when there is one: a breaker's meters appear when it is created and go when its upstream
 * stops.
 */
final class BreakerMeters {

    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();

    /**
     * @param meters the host's registry, or null when the host offers none (no meters then)
     */
    BreakerMeters(MeterRegistry meters) {
        if (meters != null) {
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        }
    }

    /** A new breaker of this name, replacing one an earlier upstream of the same name left. */
    CircuitBreaker create(String name, CircuitBreakerConfig config) {
        breakers.remove(name);
        return breakers.circuitBreaker(name, config);
    }

    /** Forgets a breaker (and its meters), unless a newer one of its name has replaced it. */
    void remove(CircuitBreaker breaker) {
        breakers.find(breaker.getName()).filter(b -> b == breaker).ifPresent(b -> breakers.remove(b.getName()));
    }
}
