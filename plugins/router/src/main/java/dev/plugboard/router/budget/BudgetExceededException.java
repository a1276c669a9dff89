package dev.plugboard.router.budget;

/** A request refused because a budget would be overspent; the message names the budget. */
public final class BudgetExceededException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String budget;
    private final long retryAfterSeconds;

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

    /** The budget's name. */
    public String budget() {
        return budget;
    }

    /** Seconds until the period renews, or 0 for a budget that never renews. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
