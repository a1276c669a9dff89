package dev.plugboard.host.rest;

/** Ends a REST request with a problem (a bad query parameter, an oversized or malformed body). */
final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    /** A 400 invalid-request problem. */
    static ProblemException invalid(String detail) {
        return new ProblemException(new Problem("invalid-request", 400, "Invalid request", detail));
    }

    Problem problem() {
        return problem;
    }
}
