package dev.plugboard.router.budget;

/** A request refused because a budget would be overspent; the message names the budget. */
public final class BudgetExceededException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String budget;
    private final long retryAfterSeconds;
    private boolean storeUnavailable;

    /**
     * @param budget the budget's name
     * @param retryAfterSeconds seconds until the budget's period renews, or 0 when it never does
     * @param message a plain sentence
     */
    public BudgetExceededException(String budget, long retryAfterSeconds, String message) {
        super(message, null, false, false);
        this.budget = budget;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * A request refused because the shared budget store (Redis) could not be reached: spending
     * cannot be checked, so nothing is spent.
     */
    public static BudgetExceededException storeUnavailable(String budget, String why) {
        BudgetExceededException e = new BudgetExceededException(budget, 5,
                "budget store unavailable: budget " + budget + " cannot be checked (" + why + ")");
        e.storeUnavailable = true;
        return e;
    }

    /** Whether the budget could not be checked at all (the shared store is down), rather than spent. */
    public boolean storeUnavailable() {
        return storeUnavailable;
    }

    /** The budget's name. */
    public String budget() {
        return budget;
    }

    /** Seconds until the period renews, or 0 for a budget that never renews. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
