package dev.plugboard.bench.mcp;

/** A response that arrived but was not the one expected: counted as an error, never as a success. */
public final class CheckFailed extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param what what was wrong with the response */
    public CheckFailed(String what) {
        super(what, null, false, false);
    }
}
