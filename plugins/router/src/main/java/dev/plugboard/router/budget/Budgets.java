package dev.plugboard.router.budget;

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

/**
 * Spending per budget, caller and period, in this process: a request reserves its estimated cost
 * in every budget that applies before its call (refused when one would go over), and settles with
 * the cost the provider's {@code usage} gives after it. Thread-safe.
 */
public final class Budgets {

    private final Clock clock;
    private final Map<String, Double> spent = new HashMap<>();
    private volatile List<RouterConfig.Budget> budgets = List.of();

    /** @param clock the clock periods are read from */
    public Budgets(Clock clock) {
        this.clock = clock;
    }

    /** Applies the budgets of a new configuration; spending so far is kept by budget name. */
    public void configure(List<RouterConfig.Budget> budgets) {
        this.budgets = List.copyOf(budgets);
    }

    /** Money held for one request until it settles. */
    public final class Reservation {
        private final List<String> keys;
        private double held;
        private boolean settled;

        private Reservation(List<String> keys, double held) {
            this.keys = keys;
            this.held = held;
        }

        /**
         * Holds more for a further call of the same request (a fallback or escalation).
         *
         * @throws BudgetExceededException when a budget would go over
         */
        public void extend(String caller, double more) throws BudgetExceededException {
            synchronized (Budgets.this) {
                check(caller, more);
                keys.forEach(k -> spent.merge(k, more, Double::sum));
                held += more;
            }
        }

        /** Replaces what was held with what the request cost. */
        public void settle(double actual) {
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

    /**
     * Reserves an estimate in every budget that applies to the caller.
     *
     * @throws BudgetExceededException naming the first budget that would go over
     */
    public synchronized Reservation reserve(String caller, double estimate) throws BudgetExceededException {
        check(caller, estimate);
        List<String> keys = new ArrayList<>();
        for (RouterConfig.Budget b : budgets) {
            if (b.appliesTo(caller)) {
                String key = key(b, caller);
                spent.merge(key, estimate, Double::sum);
                keys.add(key);
            }
        }
        return new Reservation(keys, estimate);
    }

    private void check(String caller, double amount) throws BudgetExceededException {
        for (RouterConfig.Budget b : budgets) {
            if (b.appliesTo(caller)) {
                double used = spent.getOrDefault(key(b, caller), 0.0);
                if (used + amount > b.limitUsd()) {
                    throw new BudgetExceededException(b.name(), secondsLeft(b.period()), String.format(Locale.ROOT,
                            "budget %s is spent for this %s: %.6f of %.6f USD used, and this request needs about %.6f USD",
                            b.name(), b.period() == RouterConfig.Period.TOTAL ? "caller"
                                    : b.period().name().toLowerCase(Locale.ROOT), used, b.limitUsd(), amount));
                }
            }
        }
    }

    /** What a caller has spent in a budget's current period. */
    public synchronized double spent(String budget, String caller) {
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
