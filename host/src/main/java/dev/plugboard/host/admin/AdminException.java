package dev.plugboard.host.admin;

/**
 * A refused admin operation: the caller's mistake or a module that cannot be deployed. Nothing
 * changed when it is thrown. The message is a sentence for the caller (no class names); each door
 * maps the {@link Reason} to its own error (an HTTP status and problem type, a GraphQL code).
 */
public final class AdminException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an operation was refused; {@link #status()} is the HTTP status REST answers with. */
    public enum Reason {
        /** No module with that symbolic name, or no configuration with that PID. */
        NOT_FOUND(404),
        /** The upload or download is larger than {@code admin.maxUploadBytes}. */
        TOO_LARGE(413),
        /** The bytes are not a readable jar (zip) file. */
        NOT_A_JAR(422),
        /** The jar has no {@code Bundle-SymbolicName}, or the framework refuses its manifest. */
        NOT_A_BUNDLE(422),
        /** The bundle's imports or requirements are not provided by anything installed. */
        UNRESOLVABLE(422),
        /** The bundle holds code that would end the host ({@code System.exit} and the like). */
        EXIT_CALL(422),
        /** The bundle was installed but could not start; it was taken away again. */
        START_FAILED(422),
        /** A module with that symbolic name is installed already (install), or the jar is another bundle (update). */
        CONFLICT(409),
        /** Installing from that URL is not allowed ({@code admin.installUrls}). */
        URL_NOT_ALLOWED(403),
        /** The URL could not be downloaded. */
        URL_FAILED(502),
        /** A configuration key or value is not acceptable; {@link #key()} names the key. */
        INVALID_CONFIG(400),
        /** Something else about the request is wrong (an empty body, a malformed URL or PID). */
        BAD_REQUEST(400);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        /** The HTTP status this reason maps to. */
        public int status() {
            return status;
        }

        /** The reason's stable kebab-case name ({@code not-found}, {@code too-large}, ...). */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;
    private final String key;

    /**
     * @param reason why
     * @param message a sentence for the caller
     */
    public AdminException(Reason reason, String message) {
        this(reason, message, null);
    }

    /**
     * @param reason why
     * @param message a sentence for the caller
     * @param key the configuration key at fault, or null
     */
    public AdminException(Reason reason, String message, String key) {
        super(message, null, false, false);
        this.reason = reason;
        this.key = key;
    }

    /** Why the operation was refused. */
    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#INVALID_CONFIG}: the key at fault; otherwise null. */
    public String key() {
        return key;
    }
}
