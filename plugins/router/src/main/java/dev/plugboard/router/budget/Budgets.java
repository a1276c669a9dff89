package dev.plugboard.router.budget;

import dev.plugboard.api.store.SharedState;
import dev.plugboard.api.store.SharedStateUnavailableException;
import dev.plugboard.router.config.RouterConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Spending per budget, caller and period: a request reserves its estimated cost in every budget that
 * applies before its call (refused when one would go over), and settles with the cost the
 * provider's {@code usage} gives after it. In this process, or, once {@link #share} gave it the
 * host's {@link SharedState}, in counters of nano-dollars every node reserves in atomically (a
 * request refused with {@link BudgetExceededException#storeUnavailable()} while that store is down).
 * Thread-safe.
 */
public final class Budgets {

    private static final Logger LOG = Logger.getLogger(Budgets.class.getName());
    /** Shared counters hold nano-dollars. */
    private static final double NANOS_PER_USD = 1e9;
    /** How long a shared counter outlives its period (clocks of nodes differ a little). */
    private static final Duration GRACE = Duration.ofHours(1);
    /** The life of a shared counter of a budget that never renews. */
    private static final Duration FOREVER = Duration.ofDays(3650);

    private final Clock clock;
    private final Map<String, Double> spent = new HashMap<>();
    private volatile List<RouterConfig.Budget> budgets = List.of();
    private volatile SharedState shared;

    /** @param clock the clock periods are read from */
    public Budgets(Clock clock) {
        this.clock = clock;
    }

    /** Applies the budgets of a new configuration; spending so far is kept by budget name. */
    public void configure(List<RouterConfig.Budget> budgets) {
        this.budgets = List.copyOf(budgets);
    }

    /**
     * Keeps spending in the host's shared state from now on (null: in this process again). Spending
     * counted so far in this process is not carried over.
     */
    public void share(SharedState state) {
        this.shared = state;
    }

    /** Money held for one request until it settles. */
    public final class Reservation {
        private final List<String> keys;
        private final SharedState store;
        private double held;
        private boolean settled;

        private Reservation(List<String> keys, double held, SharedState store) {
            this.keys = keys;
            this.held = held;
            this.store = store;
        }

        /**
         * Holds more for a further call of the same request (a fallback or escalation).
         *
         * @throws BudgetExceededException when a budget would go over
         */
        public void extend(String caller, double more) throws BudgetExceededException {
            if (store != null) {
                reserveShared(store, caller, more);
                synchronized (this) {
                    held += more;
                }
                return;
            }
            synchronized (Budgets.this) {
                check(caller, more);
                keys.forEach(k -> spent.merge(k, more, Double::sum));
                held += more;
            }
        }

        /** Replaces what was held with what the request cost. */
        public void settle(double actual) {
            if (store != null) {
                double delta;
                synchronized (this) {
                    if (settled) {
                        return;
                    }
                    settled = true;
                    delta = actual - held;
                }
                long nanos = toNanos(delta);
                for (String key : keys) {
                    try {
                        store.adjust(key, nanos, GRACE);
                    } catch (SharedStateUnavailableException e) {
                        LOG.warning(() -> "Settling a budget failed, its counter keeps what was reserved: "
                                + e.getMessage());
                    }
                }
                return;
            }
            synchronized (Budgets.this) {
                if (settled) {
                    return;
                }
                settled = true;
                double delta = actual - held;
                keys.forEach(k -> spent.merge(k, delta, Double::sum));
            }
        }
    }

    /** Whether any budget applies to the caller (when none does, a request needs no estimate to reserve). */
    public boolean appliesTo(String caller) {
        for (RouterConfig.Budget b : budgets) {
            if (b.appliesTo(caller)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reserves an estimate in every budget that applies to the caller.
     *
     * @throws BudgetExceededException naming the first budget that would go over
     */
    public Reservation reserve(String caller, double estimate) throws BudgetExceededException {
        SharedState store = shared;
        if (store != null) {
            return new Reservation(reserveShared(store, caller, estimate), estimate, store);
        }
        synchronized (this) {
            return reserveLocally(caller, estimate);
        }
    }

    /**
     * Reserves in every shared counter that applies, or in none (those already taken are given back).
     *
     * @return the counters' keys
     */
    private List<String> reserveShared(SharedState store, String caller, double amount) throws BudgetExceededException {
        long nanos = toNanos(amount);
        List<RouterConfig.Budget> taken = new ArrayList<>();
        try {
            for (RouterConfig.Budget b : budgets) {
                if (!b.appliesTo(caller)) {
                    continue;
                }
                long limit = toNanos(b.limitUsd());
                SharedState.Reservation r = store.reserve(sharedKey(b, caller), nanos, limit, ttl(b.period()));
                if (!r.granted()) {
                    giveBack(store, taken, caller, nanos);
                    throw spentMessage(b, r.total() / NANOS_PER_USD, amount);
                }
                taken.add(b);
            }
            return taken.stream().map(b -> sharedKey(b, caller)).toList();
        } catch (SharedStateUnavailableException e) {
            giveBack(store, taken, caller, nanos);
            String name = budgets.stream().filter(b -> b.appliesTo(caller) && !taken.contains(b))
                    .map(RouterConfig.Budget::name).findFirst().orElse("?");
            throw BudgetExceededException.storeUnavailable(name, e.getMessage());
        }
    }

    private void giveBack(SharedState store, List<RouterConfig.Budget> taken, String caller, long nanos) {
        for (RouterConfig.Budget b : taken) {
            try {
                store.adjust(sharedKey(b, caller), -nanos, ttl(b.period()));
            } catch (SharedStateUnavailableException e) {
                LOG.warning(() -> "Giving back a reservation in budget " + b.name() + " failed: " + e.getMessage());
            }
        }
    }

    private String sharedKey(RouterConfig.Budget b, String caller) {
        return "budget:" + key(b, caller);
    }

    private Duration ttl(RouterConfig.Period period) {
        return period == RouterConfig.Period.TOTAL ? FOREVER : Duration.ofSeconds(secondsLeft(period)).plus(GRACE);
    }

    private static long toNanos(double usd) {
        return Math.round(usd * NANOS_PER_USD);
    }

    private Reservation reserveLocally(String caller, double estimate) throws BudgetExceededException {
        check(caller, estimate);
        List<String> keys = new ArrayList<>();
        for (RouterConfig.Budget b : budgets) {
            if (b.appliesTo(caller)) {
                String key = key(b, caller);
                spent.merge(key, estimate, Double::sum);
                keys.add(key);
            }
        }
        return new Reservation(keys, estimate, null);
    }

    private void check(String caller, double amount) throws BudgetExceededException {
        for (RouterConfig.Budget b : budgets) {
            if (b.appliesTo(caller)) {
                double used = spent.getOrDefault(key(b, caller), 0.0);
                if (used + amount > b.limitUsd()) {
                    throw spentMessage(b, used, amount);
                }
            }
        }
    }

    private BudgetExceededException spentMessage(RouterConfig.Budget b, double used, double amount) {
        return new BudgetExceededException(b.name(), secondsLeft(b.period()), String.format(Locale.ROOT,
                "budget %s is spent for this %s: %.6f of %.6f USD used, and this request needs about %.6f USD",
                b.name(), b.period() == RouterConfig.Period.TOTAL ? "caller"
                        : b.period().name().toLowerCase(Locale.ROOT), used, b.limitUsd(), amount));
    }

    /** What a caller has spent in a budget's current period. */
    public double spent(String budget, String caller) {
        SharedState store = shared;
        if (store != null) {
            for (RouterConfig.Budget b : budgets) {
                if (b.name().equals(budget)) {
                    return store.reserve(sharedKey(b, caller), 0, Long.MAX_VALUE, ttl(b.period())).total()
                            / NANOS_PER_USD;
                }
            }
            return 0;
        }
        synchronized (this) {
            return spentLocally(budget, caller);
        }
    }

    private double spentLocally(String budget, String caller) {
        for (RouterConfig.Budget b : budgets) {
            if (b.name().equals(budget)) {
                return spent.getOrDefault(key(b, caller), 0.0);
            }
        }
        return 0;
    }

    private String key(RouterConfig.Budget b, String caller) {
        return b.name() + "|" + caller + "|" + periodStart(b.period());
    }

    private String periodStart(RouterConfig.Period period) {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return switch (period) {
            case HOUR -> now.truncatedTo(ChronoUnit.HOURS).toString();
            case DAY -> now.truncatedTo(ChronoUnit.DAYS).toString();
            case MONTH -> now.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toString();
            case TOTAL -> "total";
        };
    }

    private long secondsLeft(RouterConfig.Period period) {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        ZonedDateTime next = switch (period) {
            case HOUR -> now.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            case DAY -> now.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            case MONTH -> now.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).plusMonths(1);
            case TOTAL -> null;
        };
        return next == null ? 0 : Math.max(1, Duration.between(Instant.from(now), Instant.from(next)).toSeconds());
    }
}
