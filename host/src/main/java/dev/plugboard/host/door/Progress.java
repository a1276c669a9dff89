package dev.plugboard.host.door;

/**
 * Hears the progress a running call reports before its result.
 * Called on the call's thread; must not block.
 */
@FunctionalInterface
public interface Progress {

    /** Hears nothing: the caller asked for no progress. */
    Progress NONE = (progress, total, message) -> { };

    /**
     * The call made progress.
     *
     * @param progress how far it is; grows with each call
     * @param total the total, or null when unknown
     * @param message a human message, or null
     */
    void progress(double progress, Double total, String message);

}
